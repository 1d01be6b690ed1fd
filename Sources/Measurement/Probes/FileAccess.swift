/// Reads small system files (sysfs, procfs) and lists directories, keeping errno. Injectable so
/// tests can make a file fail as it would on a real machine (EACCES on energy_uj, for example).
public protocol FileAccess: Sendable {
    /// The file's text; throws `SystemError` (open/read, with errno).
    func readText(_ path: String) throws -> String
    /// The names in a directory (no "." or ".."); throws `SystemError`.
    func directoryEntries(_ path: String) throws -> [String]
    /// Whether something exists at `path`.
    func exists(_ path: String) -> Bool
}

extension FileAccess {
    /// The file's text with surrounding whitespace removed.
    public func readTrimmed(_ path: String) throws -> String {
        try readText(path).strippingWhitespace()
    }
}

/// The real file system, through `SysfsReader` (open/read/opendir, errno kept).
public struct SystemFileAccess: FileAccess {
    /// Makes the accessor.
    public init() {}

    public func readText(_ path: String) throws -> String {
        guard let slash = path.lastIndex(of: "/") else { return try SysfsReader(root: ".").contents(path) }
        let directory = slash == path.startIndex ? "/" : String(path[..<slash])
        return try SysfsReader(root: directory).contents(String(path[path.index(after: slash)...]))
    }

    public func directoryEntries(_ path: String) throws -> [String] {
        try SysfsReader(root: path).entries("")
    }

    public func exists(_ path: String) -> Bool {
        SysfsReader(root: path).exists("")
    }
}

extension String {
    /// The text in quotes for an error message, cut to 40 characters so a wrong file cannot
    /// flood the message.
    var quotedForMessage: String {
        count <= 40 ? "'\(self)'" : "'\(prefix(40))…' (\(utf8.count) bytes)"
    }
}
