import Foundation

extension FeedForwardActivation {
    /// gate[i] = act(gate[i]) · up[i] for the elements `range` of rows `rowWidth` wide laid end to
    /// end: ggml_silu (or ggml_relu then ggml_sqr), then ggml_mul, each rounding in f32.
    /// ggml_vec_silu_f32 runs `ggml_v_silu` on each full group of 8 from a row's start and
    /// `x/(1+expf(-x))` on the rest, so the element's place in its row picks the formula.
    @inline(__always)
    func applyGated(_ gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, range: Range<Int>, rowWidth: Int) {
        switch self {
        case .silu:
            let vectorWidth = rowWidth / 8 * 8
            for i in range {
                let g = gate[i]
                let silu = i % rowWidth < vectorWidth ? GGMLMath.silu(g) : g / (1 + expf(-g))
                gate[i] = silu * up[i]
            }
        case .squaredReLU:
            for i in range {
                let r = max(gate[i], 0)
                gate[i] = (r * r) * up[i]
            }
        }
    }
}
