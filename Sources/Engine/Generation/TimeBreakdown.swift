#if canImport(Glibc)
import Glibc
#endif

/// Where the time of a forward pass goes, accumulated per category in nanoseconds; the
/// "where the time goes per token" figures divide these by the tokens processed.
public struct TimeBreakdown: Sendable, Equatable {
    /// The parts of a forward pass and of generation that are timed separately.
    public enum Category: String, CaseIterable, Sendable, Codable {
        /// Token embedding lookups.
        case embedding
        /// RMSNorms (pre-norms and sub-norms; the final norm counts under `outputHead`).
        case norms
        /// The linear layers of the blocks: GEMV at batch 1, GEMM for prompt batches.
        case matmul
        /// RoPE, KV cache writes and attention proper.
        case attention
        /// FFN gate activation and residual additions.
        case elementwise
        /// Final norm and LM head.
        case outputHead
        /// Choosing the next token from the logits.
        case sampling
    }

    /// Nanoseconds per category, indexed like `Category.allCases`.
    public private(set) var nanoseconds: [UInt64]

    /// An empty breakdown.
    public init() { nanoseconds = Array(repeating: 0, count: Category.allCases.count) }

    /// Nanoseconds spent in one category.
    public subscript(category: Category) -> UInt64 {
        nanoseconds[Category.allCases.firstIndex(of: category)!]
    }

    /// Sum of all categories.
    public var totalNanoseconds: UInt64 { nanoseconds.reduce(0, +) }

    /// Adds time to a category.
    public mutating func add(_ category: Category, nanoseconds ns: UInt64) {
        nanoseconds[Category.allCases.firstIndex(of: category)!] &+= ns
    }

    /// Category shares of the total (0...1), in `Category.allCases` order.
    public var shares: [(Category, Double)] {
        let total = Double(max(totalNanoseconds, 1))
        return zip(Category.allCases, nanoseconds).map { ($0, Double($1) / total) }
    }
}

/// The monotonic clock, in nanoseconds (clock_gettime(CLOCK_MONOTONIC)).
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point.
    @inline(__always)
    public static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
