/// Dot products summed in the order of ggml's AVX2 `ggml_vec_dot_f16`: four 8-lane accumulators
/// over steps of 32, reduced pairwise (x0+x2, x1+x3, then x0+x1), then the lanes by
/// `(l0+l4 + l1+l5) + (l2+l6 + l3+l7)`; the tail of n % 32 is added in double.
/// With both inputs F16-representable every product is exact in f32, so this reproduces
/// ggml's attention sums bit for bit.
enum GGMLDot {
    @inline(__always)
    static func reduce(_ s0: SIMD8<Float>, _ s1: SIMD8<Float>, _ s2: SIMD8<Float>, _ s3: SIMD8<Float>) -> Float {
        let a = (s0 + s2) + (s1 + s3)
        let t = SIMD4<Float>(a[0], a[1], a[2], a[3]) + SIMD4<Float>(a[4], a[5], a[6], a[7])
        return (t[0] + t[1]) + (t[2] + t[3])
    }

    /// Σ x[i]·y[i] for i in 0..<count.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        let steps = count / 32 * 32
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        let xr = UnsafeRawPointer(x), yr = UnsafeRawPointer(y)
        var i = 0
        while i < steps {
            let o = i * 4
            s0 += xr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) * yr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            s1 += xr.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self) * yr.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self)
            s2 += xr.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self) * yr.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self)
            s3 += xr.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self) * yr.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self)
            i += 32
        }
        var sum = Double(reduce(s0, s1, s2, s3))
        while i < count {
            sum += Double(x[i] * y[i])
            i += 1
        }
        return Float(sum)
    }
}
