import Engine

/// Where a phase's wall time went, as shares that sum to 1: the engine's timed categories over
/// the phase's wall time, with embedding, element-wise work and untimed time as "other".
public struct PhaseShares: Sendable, Equatable {
    /// The reported parts, in column order.
    public enum Part: String, CaseIterable, Sendable {
        /// Linear layers: GEMV at batch 1 (tg), GEMM for prompt batches (pp).
        case matmul
        /// RoPE, KV-cache writes, attention.
        case attention
        /// RMSNorms inside the blocks.
        case norms
        /// Final norm and LM head.
        case outputHead = "output_head"
        /// Choosing the next token.
        case sampling
        /// Embedding lookups, activations, residuals and time outside every timed category.
        case other
    }

    /// Share of each part, indexed like `Part.allCases`.
    public let shares: [Double]
    /// Wall nanoseconds the shares divide.
    public let wallNanoseconds: UInt64

    /// Shares of `breakdown` over `wallNanoseconds`; when the categories add up to more than the
    /// wall time (clock granularity), their total is the denominator instead.
    public init(breakdown: TimeBreakdown, wallNanoseconds: UInt64) {
        let total = max(Double(wallNanoseconds), Double(breakdown.totalNanoseconds), 1)
        func part(_ category: TimeBreakdown.Category) -> Double { Double(breakdown[category]) / total }
        let named = [part(.matmul), part(.attention), part(.norms), part(.outputHead), part(.sampling)]
        shares = named + [max(0, 1 - named.reduce(0, +))]
        self.wallNanoseconds = wallNanoseconds
    }

    /// The share of one part.
    public subscript(part: Part) -> Double {
        shares[Part.allCases.firstIndex(of: part)!]
    }
}
