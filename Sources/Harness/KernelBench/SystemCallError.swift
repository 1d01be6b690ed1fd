/// A failed system call: the operation and its errno.
public struct SystemCallError: Error, CustomStringConvertible, Equatable {
    /// What was attempted, e.g. "mmap 1073741824 bytes".
    public var operation: String
    /// The errno it failed with.
    public var errno: Int32

    /// A one-line message.
    public var description: String { "\(operation) failed: errno \(errno)" }
}
