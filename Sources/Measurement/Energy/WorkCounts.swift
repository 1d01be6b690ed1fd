/// The work a phase did, for the energy model: operations by type and bytes moved from DRAM.
/// The engine knows these for its own phases; for an arbitrary command they are unknown.
public struct WorkCounts: Codable, Sendable, Equatable {
    /// Operation counts by type (`int8_add`, `fp16_mult`, … as in the constants file).
    public var operations: [String: Double]
    /// Bytes read from or written to DRAM.
    public var dramBytes: Double

    /// Makes work counts.
    public init(operations: [String: Double], dramBytes: Double) {
        self.operations = operations
        self.dramBytes = dramBytes
    }
}
