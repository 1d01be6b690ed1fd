import Foundation

/// The memory facts the kernel benchmark plans with: the last-level cache size (sysfs) and the
/// memory available to new allocations (/proc/meminfo), each with a reason when unreadable.
public enum MachineMemory {
    /// The largest cache level of CPU 0 (data or unified), in bytes, from
    /// `<sysfs>/devices/system/cpu/cpu0/cache/index*/{level,type,size}`.
    public static func lastLevelCacheBytes(sysfsRoot: String = "/sys") -> Result<Int, MachineMemoryError> {
        let base = sysfsRoot + "/devices/system/cpu/cpu0/cache"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: base) else {
            return .failure(MachineMemoryError(reason: "cannot list \(base)"))
        }
        var best: (level: Int, bytes: Int)?
        for entry in entries.sorted() where entry.hasPrefix("index") {
            func read(_ name: String) -> String? {
                (try? String(contentsOfFile: base + "/" + entry + "/" + name, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let levelText = read("level"), let level = Int(levelText), let type = read("type"),
                  type == "Unified" || type == "Data", let sizeText = read("size"),
                  let bytes = parseSize(sizeText) else { continue }
            if best == nil || level > best!.level { best = (level, bytes) }
        }
        guard let best else { return .failure(MachineMemoryError(reason: "no data or unified cache listed in \(base)")) }
        return .success(best.bytes)
    }

    /// `MemAvailable` from `/proc/meminfo`, in bytes.
    public static func availableBytes(meminfoPath: String = "/proc/meminfo") -> Result<Int, MachineMemoryError> {
        guard let text = try? String(contentsOfFile: meminfoPath, encoding: .utf8) else {
            return .failure(MachineMemoryError(reason: "cannot read \(meminfoPath)"))
        }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kib = Int(fields[1]) { return .success(kib * 1024) }
        }
        return .failure(MachineMemoryError(reason: "no MemAvailable line in \(meminfoPath)"))
    }

    /// Sysfs cache sizes: "32K", "2048K", "260M", or plain bytes.
    static func parseSize(_ text: String) -> Int? {
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.last, let multiplier = multipliers[Character(last.uppercased())] {
            return Int(text.dropLast()).map { $0 * multiplier }
        }
        return Int(text)
    }
}

/// Why a machine memory fact could not be read.
public struct MachineMemoryError: Error, CustomStringConvertible, Equatable {
    /// What was missing.
    public var reason: String
    /// The reason.
    public var description: String { reason }
}
