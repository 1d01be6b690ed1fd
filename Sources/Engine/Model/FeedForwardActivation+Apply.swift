import CEngineKernels

extension FeedForwardActivation {
    /// gate[i] = act(gate[i]) · up[i] for the elements `range` of rows `rowWidth` wide laid end to
    /// end (the range starts and ends on a row boundary or a multiple of 8 inside one row):
    /// ggml_silu (or ggml_relu then ggml_sqr), then ggml_mul, each rounding in f32.
    @inline(__always)
    func applyGated(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, range: Range<Int>, rowWidth: Int,
                    useAVX2: Bool) {
        switch self {
        case .silu:
            // ggml_vec_silu_f32 picks its formula by the element's place in the row, so each row
            // piece is passed as a row of its own; pieces start at multiples of 8.
            var start = range.lowerBound
            while start < range.upperBound {
                let rowEnd = (start / rowWidth + 1) * rowWidth
                let end = min(range.upperBound, rowEnd)
                be_silu_mul(gate + start, up + start, 1, end - start, useAVX2 ? 1 : 0)
                start = end
            }
        case .squaredReLU:
            for i in range {
                let r = max(gate[i], 0)
                gate[i] = (r * r) * up[i]
            }
        }
    }
}
