/// Int8 activations for I2_S (W1.58A8): one scale per token over the whole row, as bitnet.cpp's
/// `quantize_row_i8_s` (FORMATS.md 2.1). This is the scalar reference the fast encoders match.
public enum Int8PerTokenActivations {
    /// The absmax floor of quantize_row_i8_s.
    public static let floor: Double = 0.00001

    /// Quantizes one token: `amax = max(1e-5, max|x|)` in double, `s = Float(127 / amax)` (double
    /// division), `q = clamp(round_half_even(x*s), -128, 127)` with an f32 product. Returns `s`
    /// and `Σq`; the matrix product is then `((Float(Σ code·q) - Float(Σq)) / s) * α`.
    public static func quantize(_ x: UnsafeBufferPointer<Float>, into q: UnsafeMutablePointer<Int8>) -> (scale: Float, sum: Int32) {
        var amax = floor
        for v in x {
            let a = Double(abs(v))
            if a > amax { amax = a }
        }
        let s = Float(127.0 / amax)
        var sum: Int32 = 0
        for i in 0..<x.count {
            let v = min(max(nearestInt(x[i] * s), -128), 127)
            sum &+= v
            q[i] = Int8(truncatingIfNeeded: v)
        }
        return (s, sum)
    }

    /// ggml's `nearest_int`: round half to even through the 1.5·2^23 trick (exact for |f| < 2^22;
    /// never traps, even on NaN).
    @inline(__always)
    static func nearestInt(_ f: Float) -> Int32 {
        let v = f + 12582912.0
        return Int32(bitPattern: v.bitPattern & 0x007f_ffff) &- 0x0040_0000
    }
}
