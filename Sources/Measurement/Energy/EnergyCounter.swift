/// One free-running energy counter of one RAPL domain, as a RAPL method exposes it.
public protocol EnergyCounter: AnyObject, Sendable {
    /// The domain it counts.
    var domain: RAPLDomain { get }
    /// Joules per count.
    var joulesPerCount: Double { get }
    /// The count at which the counter wraps to 0 (2^32 for the MSRs, max_energy_range_uj for
    /// powercap), or nil when the source already extends it to 64 bits (perf).
    var wrapModulus: UInt64? { get }
    /// Where it is read from, for messages.
    var origin: String { get }
    /// The current count; throws `SystemError`.
    func readCount() throws -> UInt64
    /// Releases the file descriptor, if any.
    func close()
}
