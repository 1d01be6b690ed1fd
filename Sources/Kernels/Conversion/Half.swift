/// IEEE 754 binary16 ⇄ binary32 conversion on raw bits, round-to-nearest-even, bit-identical to
/// x86 F16C (`vcvtps2ph` with rounding mode 0, `vcvtph2ps`) and to numpy's float16, NaN aside
/// (a NaN stays a quiet NaN with its top payload bits).
public enum Half {
    /// The float value of half-precision bits (exact: every half is a float).
    @inline(__always)
    public static func toFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1f
        let mantissa = UInt32(bits) & 0x3ff
        if exponent == 0 {
            // Zero or subnormal: mantissa · 2^-24, exact in float.
            let magnitude = Float(mantissa) * 0x1p-24
            return Float(bitPattern: magnitude.bitPattern | sign)
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13))
        }
        // Rebias the exponent from 15 to 127.
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// The half-precision bits nearest to `value` (ties to even; overflow to infinity).
    @inline(__always)
    public static func fromFloat(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let magnitude = bits & 0x7fff_ffff
        if magnitude >= 0x7f80_0000 {
            if magnitude > 0x7f80_0000 {
                return sign | 0x7e00 | UInt16(truncatingIfNeeded: (magnitude >> 13) & 0x3ff)
            }
            return sign | 0x7c00
        }
        if magnitude >= 0x4780_0000 { return sign | 0x7c00 }  // ≥ 65536: infinity
        if magnitude >= 0x3880_0000 {
            // Normal half (≥ 2^-14): rebias by 112 exponents, round the 13 dropped bits; a carry
            // into the exponent is the correct rounding (up to infinity at 65520).
            var half = (magnitude - 0x3800_0000) >> 13
            let dropped = magnitude & 0x1fff
            if dropped > 0x1000 || (dropped == 0x1000 && (half & 1) == 1) { half += 1 }
            return sign | UInt16(truncatingIfNeeded: half)
        }
        let exponent = Int(magnitude >> 23)
        if exponent < 102 { return sign }  // below 2^-25: rounds to zero
        // Subnormal half: count units of 2^-24; the float is (1.m) · 2^(e-127) = m' · 2^(e-150).
        let mantissa = (magnitude & 0x7f_ffff) | 0x80_0000
        let shift = UInt32(126 - exponent)
        var half = mantissa >> shift
        let dropped = mantissa & ((1 << shift) - 1)
        let halfway: UInt32 = 1 << (shift - 1)
        if dropped > halfway || (dropped == halfway && (half & 1) == 1) { half += 1 }
        return sign | UInt16(truncatingIfNeeded: half)
    }

    /// `value` rounded to the nearest half and back: what F16 activations become in ggml.
    @inline(__always)
    public static func round(_ value: Float) -> Float { toFloat(fromFloat(value)) }

    /// The float value of bfloat16 bits (`bits << 16`).
    @inline(__always)
    public static func bfloat16ToFloat(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}
