import Foundation

/// A background thread that samples energy trackers periodically, so 32-bit counters that wrap
/// during long runs are read at least once per wrap.
final class EnergySampler: @unchecked Sendable {
    private let trackers: [EnergyCounterTracker]
    private let interval: Double
    private let condition = NSCondition()
    private var stopping = false
    private var running = false
    private var finished = false

    init(trackers: [EnergyCounterTracker], interval: Double) {
        self.trackers = trackers
        self.interval = interval
    }

    /// Starts the thread (once).
    func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running, !trackers.isEmpty else { return }
        running = true
        let thread = Thread { [self] in loop() }
        thread.name = "bitbench-energy-sampler"
        thread.start()
    }

    private func loop() {
        condition.lock()
        while !stopping {
            _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
            if stopping { break }
            condition.unlock()
            for tracker in trackers { tracker.sample() }
            condition.lock()
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the thread and waits for it to exit.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        guard running else { return }
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        running = false
    }
}
