#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: the operation, the path or object it acted on, and errno.
public struct SystemCallError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The call that failed, e.g. `open`, `read`, `perf_event_open`.
    public var operation: String
    /// The file or object it acted on, when there is one.
    public var path: String?
    /// The errno value.
    public var errno: Int32

    /// Makes an error from an explicit errno value.
    public init(_ operation: String, path: String? = nil, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// Makes an error from the calling thread's current errno.
    public static func current(_ operation: String, path: String? = nil) -> SystemCallError {
        SystemCallError(operation, path: path, errno: Glibc.errno)
    }

    /// The symbolic errno name where known (`ENOENT`), for messages users can search for.
    public var errnoName: String { Self.errnoNames[errno] ?? "errno \(errno)" }

    /// The C library's message for the errno value.
    public var message: String { errno == 0 ? "failed" : String(cString: strerror(errno)) }

    /// `open /sys/x: No such file or directory (ENOENT)`.
    public var description: String {
        let target = path.map { " \($0)" } ?? ""
        return "\(operation)\(target): \(message) (\(errnoName))"
    }

    // The errno values the probes meet (Linux asm-generic/errno-base.h and errno.h).
    private static let errnoNames: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO",
        ENXIO: "ENXIO", E2BIG: "E2BIG", ENOEXEC: "ENOEXEC", EBADF: "EBADF", EAGAIN: "EAGAIN",
        ENOMEM: "ENOMEM", EACCES: "EACCES", EFAULT: "EFAULT", EBUSY: "EBUSY", ENODEV: "ENODEV",
        ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EINVAL: "EINVAL", EMFILE: "EMFILE", ENFILE: "ENFILE",
        EFBIG: "EFBIG", ENOSPC: "ENOSPC", ERANGE: "ERANGE", ENOSYS: "ENOSYS", EOPNOTSUPP: "EOPNOTSUPP",
        EOVERFLOW: "EOVERFLOW",
    ]
}
