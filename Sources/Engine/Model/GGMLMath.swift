/// ggml's vectorized transcendental functions, reproduced in scalar Swift so activations round
/// exactly as in llama.cpp / bitnet.cpp builds for AVX2+FMA (ggml-cpu vec.h).
enum GGMLMath {
    /// `ggml_v_expf` (adapted there from Arm's optimized-routines expf; max error 1.45 + 0.5 ulp):
    /// the same constants and the same fused multiply-adds, one lane at a time.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let r: Float = 0x1.8p23
        let z = r.addingProduct(x, 0x1.715476p+0)
        let n = z - r
        let b = x.addingProduct(-n, 0x1.62e4p-1).addingProduct(-n, 0x1.7f7d1cp-20)
        let e = z.bitPattern << 23
        let k = Float(bitPattern: e &+ Float(1).bitPattern)
        let u = b * b
        let p1 = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let p2 = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let j = (b * 0x1.ffffecp-1).addingProduct(p2.addingProduct(p1, u), u)
        if !(abs(n) > 126) {
            return k.addingProduct(j, k)
        }
        // Large |n|: scale in two steps, or saturate to 0 / inf beyond |n| > 192.
        let g: UInt32 = n <= 0 ? 0x8200_0000 : 0
        let s1 = Float(bitPattern: g &+ 0x7f00_0000)
        if abs(n) > 192 { return s1 * s1 }
        let s2 = Float(bitPattern: e &- g)
        return s2.addingProduct(s2, j) * s1
    }

    /// `ggml_v_silu`: x / (1 + exp(0 - x)).
    @inline(__always)
    static func silu(_ x: Float) -> Float {
        x / (1 + exp(0 - x))
    }
}
