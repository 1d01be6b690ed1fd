import Foundation

/// Extends a set of energy counters to 64-bit totals, adding the modulus whenever a reading is
/// below the previous one (a wrap: delta = e1 + range − e0). Thread-safe: the sampler thread and
/// the measured phase both call `sample()`.
final class EnergyCounterTracker: @unchecked Sendable {
    /// The state of every counter at one instant.
    struct Snapshot {
        /// Counts accumulated since the tracker's first sample.
        var totals: [UInt64]
        /// Wraps seen since the first sample.
        var wraps: [Int]
        /// The first read failure of each counter, if any (it makes later totals incomplete).
        var errors: [String?]
        /// When the counters were read: the midpoint of the reads (CLOCK_MONOTONIC ns).
        var nanoseconds: UInt64
    }

    let counters: [any EnergyCounter]
    private let lock = NSLock()
    private var last: [UInt64?]
    private var state: Snapshot

    init(counters: [any EnergyCounter]) {
        self.counters = counters
        last = Array(repeating: nil, count: counters.count)
        state = Snapshot(totals: Array(repeating: 0, count: counters.count),
                         wraps: Array(repeating: 0, count: counters.count),
                         errors: Array(repeating: nil, count: counters.count), nanoseconds: 0)
        _ = sample()
    }

    /// Reads every counter, folds the deltas in, and returns the state.
    @discardableResult
    func sample() -> Snapshot {
        lock.lock(); defer { lock.unlock() }
        let before = MonotonicClock.nanoseconds()
        for (i, counter) in counters.enumerated() where state.errors[i] == nil {
            do {
                let now = try counter.readCount()
                if let previous = last[i] {
                    if now >= previous {
                        state.totals[i] &+= now - previous
                    } else if let modulus = counter.wrapModulus, previous < modulus {
                        state.totals[i] &+= now &+ (modulus - previous)
                        state.wraps[i] += 1
                    } else {
                        state.errors[i] = "\(counter.origin) went backwards (\(previous) to \(now)) and has no wrap range"
                    }
                }
                last[i] = now
            } catch {
                state.errors[i] = "\(error)"
            }
        }
        state.nanoseconds = before + (MonotonicClock.nanoseconds() - before) / 2
        return state
    }

    /// The sampling period that sees every wrap: a quarter of the shortest wrap time at 1 kW
    /// (no RAPL domain draws more), between 1 ms and 1 s.
    var safeSamplingInterval: Double {
        var interval = 1.0
        for counter in counters {
            guard let modulus = counter.wrapModulus else { continue }
            let wrapSeconds = Double(modulus) * counter.joulesPerCount / 1000.0
            interval = min(interval, wrapSeconds / 4)
        }
        return max(0.001, interval)
    }

    func close() {
        for counter in counters { counter.close() }
    }
}
