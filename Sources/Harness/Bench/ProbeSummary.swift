import Measurement

/// A counter or energy figure over a test's repetitions: the median of the per-repetition
/// values, or why there is none.
public struct ProbeSummary: Sendable, Equatable {
    /// The counter name, or the energy figure's name.
    public var name: String
    /// Median over repetitions, or the reason it is unavailable.
    public var value: Known<Double>
    /// Unit ("ns" for clocks, "J"), nil for plain counts.
    public var unit: String?

    /// Makes a summary.
    public init(name: String, value: Known<Double>, unit: String?) {
        self.name = name
        self.value = value
        self.unit = unit
    }

    /// The median of one counter over per-repetition readings; unavailable with the first
    /// repetition's reason when any repetition has no value.
    public static func counter(_ name: String, readings: [CounterReading]) -> ProbeSummary {
        var values: [Double] = []
        var unit: String?
        for reading in readings {
            guard let event = reading[name] else {
                return ProbeSummary(name: name, value: .unknown("not in the reading"), unit: nil)
            }
            unit = event.unit
            guard let value = event.value else {
                let code = event.errnoName.map { "\($0): " } ?? ""
                return ProbeSummary(name: name, value: .unknown(code + (event.unsupportedReason ?? "no value")), unit: unit)
            }
            values.append(value)
        }
        guard let stats = SampleStatistics(values) else {
            return ProbeSummary(name: name, value: .unknown("no repetition was measured"), unit: unit)
        }
        return ProbeSummary(name: name, value: .known(stats.median), unit: unit)
    }
}

/// Energy over a test's repetitions: the method, median joules and J/token, or the reason.
public struct EnergySummary: Sendable, Equatable {
    /// How the figures were obtained (a RAPL method, the labelled model, or none).
    public var method: EnergyMethod
    /// True only for RAPL measurements.
    public var measured: Bool
    /// Median joules per repetition.
    public var joules: Known<Double>
    /// Median joules per token.
    public var joulesPerToken: Known<Double>
    /// The reading's own note (why unavailable, or that the figure is an estimate).
    public var note: String?
    /// False when energy was not asked for (`--energy off`).
    public var requested: Bool

    /// Summarizes per-repetition readings (nil readings: energy was not requested).
    public init(readings: [EnergyReading]) {
        requested = true
        let first = readings.first
        method = first?.method ?? .none
        measured = first?.measured ?? false
        note = first?.reason
        let why = first?.reason ?? "no repetition was measured"
        func median(_ values: [Double?]) -> Known<Double> {
            guard !values.isEmpty, values.allSatisfy({ $0 != nil }), let stats = SampleStatistics(values.map { $0! }) else {
                return .unknown(why)
            }
            return .known(stats.median)
        }
        joules = median(readings.map(\.joules))
        joulesPerToken = median(readings.map(\.joulesPerToken))
    }

    /// Energy that was not asked for.
    public init(notRequested reason: String) {
        requested = false
        method = .none
        measured = false
        joules = .unknown(reason)
        joulesPerToken = .unknown(reason)
        note = reason
    }
}
