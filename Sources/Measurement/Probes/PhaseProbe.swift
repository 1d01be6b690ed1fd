/// The composite probe: wraps a measured phase in the wall clock, perf counters and energy.
/// Order keeps the slow probes outside the timed span: energy and counters start before the
/// clock and stop after it.
public final class PhaseProbe: Probe {
    /// The wall clock (always present).
    public let clock = WallClockProbe()
    /// Perf counters, when requested.
    public let counters: CounterProbe?
    /// Energy, when requested.
    public let energy: EnergyProbe?
    /// Derived metrics to evaluate on each reading.
    public var metrics: MetricTable
    /// Tokens the phase processes (for per-token metrics and J/token).
    public var tokens: Int?
    /// Weights the phase processes (for per-weight metrics).
    public var weights: Int?

    /// Makes the composite.
    public init(counters: CounterProbe? = nil, energy: EnergyProbe? = nil, metrics: MetricTable = .builtIn) {
        self.counters = counters
        self.energy = energy
        self.metrics = metrics
    }

    @inline(__always)
    public func begin() {
        energy?.begin()
        counters?.begin()
        clock.begin()
    }

    @inline(__always)
    public func end() {
        clock.end()
        counters?.end()
        energy?.end()
    }

    public func reading() -> PhaseReading {
        let wall = clock.reading()
        let counterReading = counters?.reading()
        energy?.tokens = tokens
        return PhaseReading(
            wallSeconds: wall.seconds, counters: counterReading, energy: energy?.reading(),
            metrics: metrics.evaluate(counters: counterReading, seconds: wall.seconds.value, tokens: tokens, weights: weights),
            tokens: tokens, weights: weights)
    }

    /// Runs `body` as one measured phase and returns its result with the reading.
    public func measure<T>(_ body: () throws -> T) rethrows -> (result: T, reading: PhaseReading) {
        begin()
        let result = try body()
        end()
        return (result, reading())
    }
}

/// Everything measured about one phase.
public struct PhaseReading: Codable, Sendable, Equatable {
    /// Wall time.
    public var wallSeconds: Known<Double>
    /// Counters, when requested.
    public var counters: CounterReading?
    /// Energy, when requested.
    public var energy: EnergyReading?
    /// Derived metrics.
    public var metrics: [DerivedMetric]
    /// Tokens processed, when known.
    public var tokens: Int?
    /// Weights processed, when known.
    public var weights: Int?
}
