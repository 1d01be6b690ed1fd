#if canImport(Glibc)
import Glibc
#endif

/// Reads the small text files of sysfs and procfs below an injectable root, with typed errors.
///
/// Files are read with open/read/close rather than Foundation so that every failure keeps its
/// errno (EACCES on `energy_uj` means something different from ENOENT).
public struct SysfsReader: Sendable {
    /// The folder that stands for `/sys` (or `/proc`, `/dev`).
    public let root: String

    // No interface file we read comes close; the cap keeps a wrong root from reading a huge file.
    private static let maximumFileBytes = 16 << 20

    /// A reader below `root`.
    public init(root: String) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    /// The absolute path of `relative` below the root.
    public func path(_ relative: String) -> String {
        relative.isEmpty ? root : root + "/" + relative
    }

    /// The whole file as text.
    public func contents(_ relative: String) throws -> String {
        let full = path(relative)
        let fd = open(full, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open", path: full) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError.current("read", path: full)
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > SysfsReader.maximumFileBytes {
                throw SystemError("read", path: full, errno: EFBIG)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The file's text without surrounding whitespace (sysfs values end in a newline).
    public func string(_ relative: String) throws -> String {
        try contents(relative).strippingWhitespace()
    }

    /// The file's text, or nil when the file does not exist.
    public func stringIfPresent(_ relative: String) throws -> String? {
        do {
            return try string(relative)
        } catch let error as SystemError where error.errno == ENOENT || error.errno == ENOTDIR {
            return nil
        }
    }

    /// The file as a decimal integer.
    public func integer(_ relative: String) throws -> Int {
        let text = try string(relative)
        guard let value = Int(text) else {
            throw SysfsValueError(path: path(relative), text: text, expected: "a decimal integer")
        }
        return value
    }

    /// The file as a decimal integer, or nil when the file does not exist.
    public func integerIfPresent(_ relative: String) throws -> Int? {
        guard let text = try stringIfPresent(relative) else { return nil }
        guard let value = Int(text) else {
            throw SysfsValueError(path: path(relative), text: text, expected: "a decimal integer")
        }
        return value
    }

    /// The file as a kernel CPU or node list (`0-3,8-11`).
    public func list(_ relative: String) throws -> [Int] {
        let text = try string(relative)
        do {
            return try CPUList.parse(text)
        } catch let error as CPUListError {
            throw SysfsValueError(path: path(relative), text: text, expected: "a CPU list (\(error.problem))")
        }
    }

    /// True when the path exists (file, folder or device).
    public func exists(_ relative: String) -> Bool {
        access(path(relative), F_OK) == 0
    }

    /// The names in a folder, sorted, without `.` and `..`.
    public func entries(_ relative: String) throws -> [String] {
        let full = path(relative)
        guard let dir = opendir(full) else { throw SystemError.current("opendir", path: full) }
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

    /// The names in a folder, or an empty list when the folder does not exist.
    public func entriesIfPresent(_ relative: String) throws -> [String] {
        do {
            return try entries(relative)
        } catch let error as SystemError where error.errno == ENOENT || error.errno == ENOTDIR {
            return []
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines. (Named apart from the
    /// probes' `trimmingWhitespace` so the two branches merge; one can replace the other.)
    func strippingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
