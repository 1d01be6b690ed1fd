/// Root-mean-square normalization with a learned gain, in ggml's rounding order.
enum RMSNorm {
    /// out = (x * 1/sqrt(mean(x²) + eps)) * weight, for one row of `count` values.
    /// ggml_compute_forward_rms_norm_f32: squares in f32, summed in double, mean and scale in f32;
    /// the gain is a separate ggml_mul, so the two products round separately.
    @inline(__always)
    static func apply(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float, count: Int,
                      into out: UnsafeMutablePointer<Float>) {
        var sum: Double = 0
        for i in 0..<count {
            let v = x[i]
            sum += Double(v * v)
        }
        let mean = Float(sum / Double(count))
        let scale = 1 / (mean + epsilon).squareRoot()
        for i in 0..<count { out[i] = (x[i] * scale) * weight[i] }
    }
}
