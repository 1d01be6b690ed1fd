import Foundation

/// Reads how much memory the kernel says a new process can still get without swapping:
/// `MemAvailable` (and `MemTotal`) from /proc/meminfo, in bytes.
public struct SystemMemory: Sendable, Equatable {
    /// `MemAvailable` in bytes.
    public var available: Int
    /// `MemTotal` in bytes.
    public var total: Int

    /// Makes a reading (tests inject fixed numbers this way).
    public init(available: Int, total: Int) {
        self.available = available
        self.total = total
    }

    /// Reads and parses a meminfo file (default /proc/meminfo).
    public static func read(path: String = "/proc/meminfo") throws -> SystemMemory {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw MemoryPlanError.unreadableMemoryInfo(path: path, reason: "\(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    /// Parses meminfo text: lines like `MemAvailable:   24313140 kB`.
    public static func parse(_ text: String, path: String = "/proc/meminfo") throws -> SystemMemory {
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " })
            guard parts.count >= 2, let value = Int(parts[1]) else { continue }
            let unit = parts.count >= 3 ? parts[2].lowercased() : ""
            fields[String(parts[0])] = unit == "kb" ? value * 1024 : value
        }
        guard let total = fields["MemTotal"] else {
            throw MemoryPlanError.unreadableMemoryInfo(path: path, reason: "no MemTotal line")
        }
        // Kernels before 3.14 have no MemAvailable; MemFree + Cached is the old approximation.
        let available = fields["MemAvailable"] ?? ((fields["MemFree"] ?? 0) + (fields["Cached"] ?? 0))
        return SystemMemory(available: available, total: total)
    }
}

/// Errors of the memory planner, each naming what could not be read or computed.
public enum MemoryPlanError: Error, CustomStringConvertible, Equatable {
    case unreadableMemoryInfo(path: String, reason: String)
    case invalidInput(field: String, value: Int, expected: String)

    /// A one-line message for users.
    public var description: String {
        switch self {
        case let .unreadableMemoryInfo(path, reason):
            return "cannot read available memory from \(path): \(reason)"
        case let .invalidInput(field, value, expected):
            return "memory plan: \(field) = \(value), expected \(expected)"
        }
    }
}
