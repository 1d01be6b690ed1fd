import Foundation

/// The size of the last-level CPU cache, read from sysfs
/// (`/sys/devices/system/cpu/cpu0/cache/index*/{level,type,size}`): the largest data or unified
/// cache of the highest level. The directory is injectable so tests can use a recorded tree.
public struct LastLevelCache: Sendable, Equatable {
    /// Cache level (3 on most x86 servers).
    public var level: Int
    /// Size in bytes.
    public var bytes: Int

    /// Makes a reading (tests and `--llc-bytes`-style overrides).
    public init(level: Int, bytes: Int) {
        self.level = level
        self.bytes = bytes
    }

    /// Reads the cache description under `directory`.
    public static func read(directory: String = "/sys/devices/system/cpu/cpu0/cache") throws -> LastLevelCache {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory) else {
            throw SyntheticError.system(operation: "list", path: directory, errno: ENOENT,
                                        message: "no CPU cache description in sysfs")
        }
        var best: LastLevelCache?
        for entry in entries.sorted() where entry.hasPrefix("index") {
            let base = directory + "/" + entry + "/"
            func field(_ name: String) -> String? {
                (try? String(contentsOfFile: base + name, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let levelText = field("level"), let level = Int(levelText),
                  let type = field("type"), type != "Instruction",
                  let sizeText = field("size"), let bytes = parseSize(sizeText) else { continue }
            if best == nil || level > best!.level || (level == best!.level && bytes > best!.bytes) {
                best = LastLevelCache(level: level, bytes: bytes)
            }
        }
        guard let found = best else {
            throw SyntheticError.system(operation: "read", path: directory, errno: ENOENT,
                                        message: "no data or unified cache level with a size")
        }
        return found
    }

    /// Parses sysfs sizes: "266240K", "32M", "512" (bytes).
    public static func parseSize(_ text: String) -> Int? {
        guard let last = text.last else { return nil }
        let multiplier: Int
        var digits = Substring(text)
        switch last {
        case "K", "k": multiplier = 1 << 10; digits = digits.dropLast()
        case "M", "m": multiplier = 1 << 20; digits = digits.dropLast()
        case "G", "g": multiplier = 1 << 30; digits = digits.dropLast()
        default: multiplier = 1
        }
        guard let value = Int(digits), value > 0 else { return nil }
        return value * multiplier
    }
}
