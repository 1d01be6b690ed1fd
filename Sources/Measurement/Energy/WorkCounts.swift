/// The work a phase did, for the energy model: operations by type and bytes moved from DRAM.
/// The engine knows these for its own phases; for an arbitrary command they are unknown.
public struct WorkCounts: Codable, Sendable, Equatable {
    /// Operation counts by type (`int8_add`, `fp16_mult`, … as in the constants file).
    public var operations: [String: Double]
    /// Bytes read from or written to DRAM.
    public var dramBytes: Double
    /// How the counts were made (what is counted and what is left out), carried into the estimate's note.
    public var method: String?

    /// Makes work counts.
    public init(operations: [String: Double], dramBytes: Double, method: String? = nil) {
        self.operations = operations
        self.dramBytes = dramBytes
        self.method = method
    }
}
