/// Summary statistics of a sample (e.g. repeated timings): median, mean, standard deviation with
/// the n−1 (Bessel) denominator, coefficient of variation, extremes and percentiles. The sorted
/// samples are kept so any percentile can be read later.
public struct SampleStatistics: Sendable, Equatable, Codable {
    /// The samples in ascending order.
    public let sorted: [Double]

    /// Summarizes `samples`; nil when there are none (no statistic of an empty sample exists).
    public init?(_ samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        sorted = samples.sorted()
    }

    /// Number of samples.
    public var count: Int { sorted.count }
    /// Smallest sample.
    public var min: Double { sorted[0] }
    /// Largest sample.
    public var max: Double { sorted[sorted.count - 1] }
    /// The 50th percentile (mean of the two middle samples for an even count).
    public var median: Double { percentile(50) }

    /// Arithmetic mean.
    public var mean: Double { sorted.reduce(0, +) / Double(count) }

    /// Sample standard deviation, Σ(x − mean)² / (n − 1) under the root; 0 for a single sample.
    public var standardDeviation: Double {
        guard count > 1 else { return 0 }
        let m = mean
        let squares = sorted.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (squares / Double(count - 1)).squareRoot()
    }

    /// Standard deviation relative to the mean (nil when the mean is 0).
    public var coefficientOfVariation: Double? {
        let m = mean
        return m == 0 ? nil : standardDeviation / abs(m)
    }

    /// The p-th percentile (0...100), linear interpolation between closest ranks
    /// (the "R-7" / numpy default definition): p0 = min, p100 = max.
    public func percentile(_ p: Double) -> Double {
        let clamped = Swift.min(100, Swift.max(0, p))
        let position = clamped / 100 * Double(count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

extension SampleStatistics {
    /// Median absolute deviation from the median (unscaled): a spread that one outlier
    /// repetition on a shared machine does not inflate.
    public var medianAbsoluteDeviation: Double {
        let m = median
        return SampleStatistics(sorted.map { abs($0 - m) })?.median ?? 0
    }
}
