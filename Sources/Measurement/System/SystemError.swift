#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call or library call: the operation, the path or object it acted on, and errno.
public struct SystemError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The call that failed, e.g. `open`, `read`, `move_pages`, `numa_alloc_onnode`.
    public var operation: String
    /// The file or object it acted on, when there is one.
    public var path: String?
    /// The errno value the call left (0 when the call reports failure without errno).
    public var errno: Int32

    /// Makes an error from an explicit errno value.
    public init(_ operation: String, path: String? = nil, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// Makes an error from the calling thread's current errno.
    public static func current(_ operation: String, path: String? = nil) -> SystemError {
        SystemError(operation, path: path, errno: Glibc.errno)
    }

    /// The symbolic errno name where known (`ENOENT`), for messages that users can search for.
    public var errnoName: String { SystemError.errnoNames[errno] ?? "errno \(errno)" }

    /// The C library's message for the errno value.
    public var message: String { errno == 0 ? "failed" : String(cString: strerror(errno)) }

    /// `open /sys/x: No such file or directory (ENOENT)`.
    public var description: String {
        let target = path.map { " \($0)" } ?? ""
        return "\(operation)\(target): \(message) (\(errnoName))"
    }

    // The errno values a reader of sysfs, procfs, devices and libnuma meets (Linux asm-generic/errno-base.h).
    private static let errnoNames: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", ENXIO: "ENXIO", EBADF: "EBADF",
        ENOMEM: "ENOMEM", EACCES: "EACCES", EFAULT: "EFAULT", EBUSY: "EBUSY", ENODEV: "ENODEV",
        ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EINVAL: "EINVAL", ENOSPC: "ENOSPC", ERANGE: "ERANGE",
        ENOSYS: "ENOSYS", EOPNOTSUPP: "EOPNOTSUPP", ESRCH: "ESRCH", E2BIG: "E2BIG",
        // perf_event_open, execve and file-limit errors (probes).
        EINTR: "EINTR", ENOEXEC: "ENOEXEC", EAGAIN: "EAGAIN", EMFILE: "EMFILE", ENFILE: "ENFILE",
        EFBIG: "EFBIG", EOVERFLOW: "EOVERFLOW",
    ]
}
