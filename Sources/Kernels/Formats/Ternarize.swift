/// Turns float weights into trits w ∈ {-1, 0, +1} and one per-tensor scale α, the way bitnet.cpp's
/// converters and llama-quantize do (shared/reference/FORMATS.md section 3).
public enum Ternarize {
    /// bitnet.cpp's absmean floor: `α = max(mean|W|, 1e-5)` (convert-hf-to-gguf-bitnet.py weight_quant).
    public static let absmeanFloor: Float = 1e-5
    /// quantize_i2_s maps `|x| < 1e-6` to the zero code (bitnet.cpp src/ggml-bitnet-mad.cpp).
    public static let zeroThreshold: Double = 1e-6

    /// True when, in every group of `groupSize` consecutive values, each value is 0 or ±a for one
    /// a per group: the values a converter's `weight_quant` already produced (or a TQ block).
    public static func isTernaryValued(_ values: UnsafeBufferPointer<Float>, groupSize: Int) -> Bool {
        let group = max(1, groupSize)
        var start = 0
        while start < values.count {
            let end = min(values.count, start + group)
            var magnitude: Float = 0
            for i in start..<end {
                let a = abs(values[i])
                if a == 0 { continue }
                if !a.isFinite { return false }
                if magnitude == 0 {
                    magnitude = a
                } else if a != magnitude {
                    return false
                }
            }
            start = end
        }
        return true
    }

    /// Trits of already-ternary weights exactly as quantize_i2_s reads them: the sign, with
    /// `|x| < 1e-6` as zero. Returns the scale `max|x|`, taken in double and stored as f32.
    public static func signs(_ weights: UnsafeBufferPointer<Float>,
                             into trits: UnsafeMutableBufferPointer<Int8>) -> Float {
        precondition(trits.count >= weights.count, "trit buffer too small")
        var maximum: Double = 0
        for i in 0..<weights.count {
            let x = Double(weights[i])
            let a = abs(x)
            if a > maximum { maximum = a }
            trits[i] = a < zeroThreshold ? 0 : (x > 0 ? 1 : -1)
        }
        return Float(maximum)
    }

    /// BitNet b1.58 absmean ternarisation: `α = max(mean|W|, 1e-5)` in f32 and
    /// `w = clip(round_half_even(W/α), -1, 1)` (torch.round). Returns α.
    ///
    /// The mean is summed in double and rounded once to f32; torch sums f32 pairwise, so α can
    /// differ from a torch run in the last bit for large tensors.
    public static func absmean(_ weights: UnsafeBufferPointer<Float>,
                               into trits: UnsafeMutableBufferPointer<Int8>) -> Float {
        precondition(trits.count >= weights.count, "trit buffer too small")
        var sum: Double = 0
        for x in weights where x.isFinite { sum += Double(abs(x)) }
        let mean = weights.isEmpty ? 0 : Float(sum / Double(weights.count))
        let alpha = max(mean, absmeanFloor)
        for i in 0..<weights.count {
            let r = (weights[i] / alpha).rounded(.toNearestOrEven)
            trits[i] = r >= 1 ? 1 : (r <= -1 ? -1 : 0)
        }
        return alpha
    }

    /// The rule every ternary writer here follows: weights that are already ternary-valued keep
    /// their scale (`max|x|`, as llama-quantize does); any other weights are ternarised with
    /// absmean first. Returns the scale and whether the input was already ternary-valued.
    public static func ternarize(_ weights: UnsafeBufferPointer<Float>,
                                 into trits: UnsafeMutableBufferPointer<Int8>) -> (scale: Float, wasTernaryValued: Bool) {
        if isTernaryValued(weights, groupSize: weights.count) {
            return (signs(weights, into: trits), true)
        }
        return (absmean(weights, into: trits), false)
    }
}
