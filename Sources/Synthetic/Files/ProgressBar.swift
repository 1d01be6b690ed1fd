import Foundation

/// A one-line progress bar on stderr (data goes to stdout, progress never does). It redraws at
/// most every 100 ms, and only when stderr is a terminal unless `force` is set; otherwise it
/// prints nothing until `finish`, which prints one summary line.
public final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let interactive: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var done = 0
    private let lock = NSLock()

    /// A bar for `total` units (bytes) labelled `label`.
    public init(label: String, total: Int, force: Bool = false) {
        self.label = label
        self.total = max(total, 1)
        self.interactive = force || isatty(STDERR_FILENO) != 0
    }

    /// Adds `units` of progress and redraws when due.
    public func advance(by units: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += units
        guard interactive, Date().timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = Date()
        draw(final: false)
    }

    /// Draws the final state and a newline.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        draw(final: true)
    }

    private func draw(final: Bool) {
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let seconds = Date().timeIntervalSince(start)
        let rate = seconds > 0 ? Double(done) / seconds / 1e6 : 0
        let line = "\(label) [\(bar)] \(Int(fraction * 100))% \(done >> 20)/\(total >> 20) MiB "
            + "\(String(format: "%.1f", seconds)) s \(String(format: "%.0f", rate)) MB/s"
        let text = interactive ? "\r\(line)\(final ? "\n" : "")" : (final ? line + "\n" : "")
        if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
    }
}
