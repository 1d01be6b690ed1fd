/// The outcome of looking for one RAPL method: its counters, or why there are none.
public enum EnergySourceDetection: Sendable {
    /// Usable counters, plus notes on domains that were skipped.
    case available([any EnergyCounter], notes: [String])
    /// Not usable here, and why.
    case unavailable(String)
}

/// Why a RAPL method has nothing to open here.
struct EnergySourceUnavailable: Error {
    /// The reason, as records and sysinfo give it.
    var reason: String

    init(_ reason: String) { self.reason = reason }
}
