import Kernels
import TestSupport
import Testing

/// quantize → dequantize stays within each baseline format's stated bound, per 32-value block
/// (amax = largest |w| in the block, u = 2^-11 the fp16 unit roundoff):
/// - F32: exact.
/// - F16: |ŵ − w| ≤ u·|w|, or 2^-25 below the normal half range.
/// - Q8_0: |ŵ − w| ≤ d/2 + 127·r(d), d = amax/127 (rounding of the code, plus fp16 rounding of d).
/// - Q4_0: |ŵ − w| ≤ d + 16·r(d), d = amax/8 (codes cover −8…7, so +amax is off by one step).
/// - Q4_1: |ŵ − w| ≤ d/2 + 15·r(d) + r(min), d = (max − min)/15.
/// where r(v) = max(u·|v|, 2^-25) is the fp16 rounding error of v (absolute below the normal range).
/// Each bound gets 4 float ulps of amax of slack for the float arithmetic itself.
@Suite("Quantize then dequantize stays within the format's bound")
struct RoundTripBoundTests {
    static let u: Float = 0x1p-11

    static func r(_ v: Float) -> Float { max(u * abs(v), 0x1p-25) }

    static func bound(_ id: WeightFormatID, block: ArraySlice<Float>, value: Float) -> Float? {
        let amax = block.map(abs).max() ?? 0
        let slack = 4 * amax.ulp
        switch id {
        case .f32: return 0
        case .f16: return max(u * abs(value), 0x1p-25)
        case .q8_0:
            let d = amax / 127
            return d / 2 + 127 * r(d) + slack
        case .q4_0:
            let d = amax / 8
            return d + 16 * r(d) + slack
        case .q4_1:
            let low = block.min() ?? 0, high = block.max() ?? 0
            let d = (high - low) / 15
            return d / 2 + 15 * r(d) + r(low) + slack
        default: return nil
        }
    }

    @Test("round trip within bound", arguments: [WeightFormatID.f32, .f16, .q8_0, .q4_0, .q4_1])
    func roundTrip(id: WeightFormatID) throws {
        let rows = 16, columns = 512
        var generator = SplitMix64(seed: 11)
        var weights = generator.floats(rows * columns, scale: 0.5)
        for j in 0..<32 { weights[j] = 0 }                      // all-zero block
        for j in 32..<64 { weights[j] = Float(j) * 1e-7 }       // tiny block
        let matrix = try TestMatrix(format: WeightFormats.format(id), rows: rows, columns: columns, weights: weights)
        var worstRatio: Float = 0
        for i in weights.indices {
            let start = i / 32 * 32
            let limit = try #require(Self.bound(id, block: weights[start..<start + 32], value: weights[i]))
            let error = abs(matrix.dequantized[i] - weights[i])
            if error > limit { Issue.record("\(id.rawValue) element \(i): error \(error) above bound \(limit)") }
            if limit > 0 { worstRatio = max(worstRatio, error / limit) }
        }
        // The bound is not vacuous: some element comes within a factor 4 of it (F32 is exact).
        if id != .f32 { #expect(worstRatio > 0.25, "\(id.rawValue) bound is loose: worst error/bound \(worstRatio)") }
    }
}
