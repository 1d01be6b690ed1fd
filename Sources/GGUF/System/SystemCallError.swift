import Glibc

/// A failed system call: the operation, the path it acted on and the errno it returned.
struct SystemCallError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The call that failed, e.g. "open" or "mmap".
    public var operation: String
    /// The file it acted on.
    public var path: String
    /// The errno value the call left.
    public var errno: Int32

    init(operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// Captures the current errno for `operation` on `path`.
    static func current(_ operation: String, path: String) -> SystemCallError {
        SystemCallError(operation: operation, path: path, errno: Glibc.errno)
    }

    /// The C library's text for the errno.
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(operation) failed: \(reason) (errno \(errno))" }
}
