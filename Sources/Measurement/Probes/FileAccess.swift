#if canImport(Glibc)
import Glibc
#endif

/// Reads small system files (sysfs, procfs) and lists directories, keeping errno. Injectable so
/// tests can make a file fail as it would on a real machine (EACCES on energy_uj, for example).
public protocol FileAccess: Sendable {
    /// The file's text; throws `SystemCallError` (open/read, with errno).
    func readText(_ path: String) throws -> String
    /// The names in a directory (no "." or ".."); throws `SystemCallError`.
    func directoryEntries(_ path: String) throws -> [String]
    /// Whether something exists at `path`.
    func exists(_ path: String) -> Bool
}

extension FileAccess {
    /// The file's text with surrounding whitespace removed.
    public func readTrimmed(_ path: String) throws -> String {
        try readText(path).trimmingWhitespace()
    }
}

/// The real file system through open/read/opendir.
public struct SystemFileAccess: FileAccess {
    /// Files larger than this are refused: sysfs attributes are at most a page.
    public static let maximumBytes = 1 << 20

    /// Makes the accessor.
    public init() {}

    public func readText(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError.current("open", path: path) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemCallError.current("read", path: path)
            }
            if n == 0 { break }
            guard bytes.count + n <= Self.maximumBytes else {
                throw SystemCallError("read", path: path, errno: EFBIG)
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func directoryEntries(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw SystemCallError.current("opendir", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}

extension String {
    /// The text in quotes for an error message, cut to 40 characters so a wrong file cannot
    /// flood the message.
    var quotedForMessage: String {
        count <= 40 ? "'\(self)'" : "'\(prefix(40))…' (\(utf8.count) bytes)"
    }
}
