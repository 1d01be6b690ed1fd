/// A sysfs or procfs file whose text is not what the kernel documents.
public struct SysfsValueError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file.
    public var path: String
    /// What it held.
    public var text: String
    /// What was expected there.
    public var expected: String
    /// `/sys/…/core_id: expected a decimal integer, found 'x'` (long text cut to 40 characters).
    public var description: String { "\(path): expected \(expected), found \(text.quotedForMessage)" }
}
