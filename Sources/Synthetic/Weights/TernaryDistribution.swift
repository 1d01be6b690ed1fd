import Foundation

/// How synthetic ternary weights are drawn: each weight is 0 with probability `zeroFraction` and
/// -1 or +1 with equal probability otherwise, from 16 bits of the counter stream (4 weights per word).
///
/// The default reproduces absmean ternarisation of Gaussian weights (FORMATS.md 3): with
/// α = mean|W| = σ·sqrt(2/π), round(W/α) is 0 exactly when |W| < α/2, so
/// P(0) = P(|Z| < sqrt(2/π)/2) = erf(1/(2·sqrt(π))) ≈ 0.3101. The per-tensor scale is the absmean of
/// N(0, 1/K) weights, sqrt(2/π)/sqrt(K), so a row's dot product with a unit-RMS input has RMS ≈ 0.66.
public struct TernaryDistribution: Sendable, Equatable {
    /// Probability of a zero weight.
    public let zeroFraction: Double
    /// 16-bit draws below this are 0.
    let zeroBelow: UInt32
    /// 16-bit draws in [zeroBelow, negativeBelow) are -1, the rest +1.
    let negativeBelow: UInt32

    /// The absmean-ternarised Gaussian: P(0) = erf(1/(2·sqrt(π))).
    public static let absmeanGaussian = try! TernaryDistribution(zeroFraction: erf(0.5 / Double.pi.squareRoot()))

    /// A distribution with the given fraction of zeros (0...1, resolved to 1/65536; the remaining
    /// draws are split evenly between -1 and +1).
    public init(zeroFraction: Double) throws {
        guard zeroFraction.isFinite, zeroFraction >= 0, zeroFraction <= 1 else {
            throw SyntheticError.invalidValue(field: "--zero-fraction", value: "\(zeroFraction)", expected: "a number in 0...1")
        }
        var zeros = UInt32((zeroFraction * 65536).rounded())
        if (65536 - zeros) % 2 == 1 { zeros += zeros < 65536 ? 1 : 0 }   // keep ±1 exactly balanced
        self.zeroBelow = zeros
        self.negativeBelow = zeros + (65536 - zeros) / 2
        self.zeroFraction = Double(zeros) / 65536
    }

    /// The trit a 16-bit draw maps to.
    @inline(__always)
    public func trit(_ draw: UInt32) -> Int8 {
        // Branch-free (the draws are random, so branches would mispredict): 2·[d ≥ n] − [d ≥ z].
        let nonzero = Int8(truncatingIfNeeded: (draw &- zeroBelow) >> 31 ^ 1)
        let positive = Int8(truncatingIfNeeded: (draw &- negativeBelow) >> 31 ^ 1)
        return 2 &* positive &- nonzero
    }

    /// The per-tensor scale α for a K-column matrix: absmean of N(0, 1/K) weights.
    public static func scale(columns: Int) -> Float {
        Float((2 / Double.pi).squareRoot() / Double(columns).squareRoot())
    }

    /// Writes the trits of flattened elements `elements` of tensor stream `stream` to `out`
    /// (element e uses bits 16·(e mod 4) of word e/4, so the value depends only on e).
    public func fill(_ stream: CounterRandom, elements: Range<Int>, into out: UnsafeMutablePointer<Int8>) {
        var e = elements.lowerBound
        var o = out
        let end = elements.upperBound
        // Head: up to the next multiple of 4.
        while e < end, e & 3 != 0 {
            o.pointee = trit(UInt32(truncatingIfNeeded: stream.word(UInt64(e >> 2)) >> (16 * UInt64(e & 3))) & 0xFFFF)
            e += 1; o += 1
        }
        // Body: one word per 4 trits.
        while e + 4 <= end {
            let w = stream.word(UInt64(e >> 2))
            o[0] = trit(UInt32(truncatingIfNeeded: w) & 0xFFFF)
            o[1] = trit(UInt32(truncatingIfNeeded: w >> 16) & 0xFFFF)
            o[2] = trit(UInt32(truncatingIfNeeded: w >> 32) & 0xFFFF)
            o[3] = trit(UInt32(truncatingIfNeeded: w >> 48) & 0xFFFF)
            e += 4; o += 4
        }
        while e < end {
            o.pointee = trit(UInt32(truncatingIfNeeded: stream.word(UInt64(e >> 2)) >> (16 * UInt64(e & 3))) & 0xFFFF)
            e += 1; o += 1
        }
    }
}
