import Foundation

/// The 1-minute load average from /proc/loadavg: printed with kernel results, since other
/// processes on the machine change what a benchmark measures.
public enum MachineLoad {
    /// The 1-minute load average, or nil where /proc/loadavg is unreadable.
    public static func oneMinute(path: String = "/proc/loadavg") -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Double($0) }
    }
}
