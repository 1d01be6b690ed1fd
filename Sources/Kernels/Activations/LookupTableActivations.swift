/// Int8 activations for TL1/TL2: bitnet.cpp's lookup-table preprocessing (FORMATS.md 2.3.7). The
/// scale is computed in f32 with no floor; each activation is rounded on its own, and the lookup
/// tables are sums of these integers, so the product equals an integer dot with the trits.
public enum LookupTableActivations {
    /// Quantizes one token: `lut_scale = 127 / max|x|` in f32 and `b = round_half_even(x*lut_scale)`.
    /// An all-zero row (where bitnet.cpp divides by zero and reads garbage) gives b = 0 and
    /// lut_scale = +inf, so every output is exactly 0. Returns lut_scale; the product is
    /// `(Float(Σ w·b) / lut_scale) * α`.
    public static func quantize(_ x: UnsafeBufferPointer<Float>, into q: UnsafeMutablePointer<Int8>) -> Float {
        var amax: Float = 0
        for v in x {
            let a = abs(v)
            if a > amax { amax = a }
        }
        let s: Float = 127 / amax
        if amax == 0 {
            q.initialize(repeating: 0, count: x.count)
            return s
        }
        for i in 0..<x.count {
            // |x*s| <= 127 up to rounding; the clamp only guards non-finite input.
            q[i] = Int8(truncatingIfNeeded: min(max(Int8PerTokenActivations.nearestInt(x[i] * s), -127), 127))
        }
        return s
    }
}
