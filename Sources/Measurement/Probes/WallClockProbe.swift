/// Wall-clock time of a phase from CLOCK_MONOTONIC.
public final class WallClockProbe: Probe {
    private var startNanoseconds: UInt64 = 0
    private var endNanoseconds: UInt64 = 0
    private var started = false
    private var ended = false

    /// Makes an idle probe.
    public init() {}

    @inline(__always)
    public func begin() {
        started = true
        ended = false
        startNanoseconds = MonotonicClock.nanoseconds()
    }

    @inline(__always)
    public func end() {
        endNanoseconds = MonotonicClock.nanoseconds()
        ended = started
    }

    /// Elapsed nanoseconds of the last interval, or nil before a begin/end pair.
    public var elapsedNanoseconds: UInt64? {
        guard started, ended else { return nil }
        return endNanoseconds &- startNanoseconds
    }

    public func reading() -> WallClockReading {
        guard let ns = elapsedNanoseconds else {
            return WallClockReading(seconds: .unknown("the wall clock was not started and stopped"))
        }
        return WallClockReading(seconds: .known(Double(ns) * 1e-9))
    }
}

/// The elapsed time of a phase.
public struct WallClockReading: Codable, Sendable, Equatable {
    /// Elapsed seconds.
    public var seconds: Known<Double>
    /// The clock used.
    public var clock: String = "CLOCK_MONOTONIC"

    /// Makes a reading.
    public init(seconds: Known<Double>) {
        self.seconds = seconds
    }
}
