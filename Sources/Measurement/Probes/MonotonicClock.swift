#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC through clock_gettime: immune to wall-clock steps, cheap (vDSO), in ns.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot).
    @inline(__always)
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// The clock's resolution in nanoseconds (clock_getres), or nil when the call fails.
    public static func resolutionNanoseconds() -> UInt64? {
        var ts = timespec()
        guard clock_getres(CLOCK_MONOTONIC, &ts) == 0 else { return nil }
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Sleeps for `seconds` with nanosleep, resuming after signals.
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }
}
