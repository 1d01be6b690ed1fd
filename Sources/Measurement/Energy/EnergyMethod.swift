/// How an energy figure was obtained; recorded in every energy record.
public enum EnergyMethod: String, Codable, Sendable, CaseIterable {
    /// RAPL through the perf `power` PMU.
    case perfRAPL = "perf-rapl"
    /// RAPL through powercap sysfs (`energy_uj`).
    case sysfsRAPL = "sysfs-rapl"
    /// RAPL through the MSRs (/dev/cpu/N/msr).
    case msrRAPL = "msr-rapl"
    /// The energy model: an estimate, not a measurement.
    case model
    /// No energy figure.
    case none

    /// The RAPL methods in the order `auto` tries them.
    public static let raplOrder: [EnergyMethod] = [.perfRAPL, .sysfsRAPL, .msrRAPL]

    /// True for the methods that read hardware energy counters.
    public var isMeasurement: Bool { Self.raplOrder.contains(self) }
}

/// What the user asked for with `--energy`.
public enum EnergySelection: Sendable, Equatable, CustomStringConvertible {
    /// perf-rapl, then sysfs-rapl, then msr-rapl; the model only when none of them works.
    case auto
    /// Exactly this method.
    case method(EnergyMethod)

    /// Parses `auto`, `perf-rapl`, `sysfs-rapl`, `msr-rapl`, `model` or `none`.
    public init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let method = EnergyMethod(rawValue: argument) {
            self = .method(method)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .method(let m): return m.rawValue
        }
    }
}
