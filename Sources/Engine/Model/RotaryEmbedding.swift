import Foundation

/// RoPE: rotates pairs of each head's dimensions by position-dependent angles. The cos/sin
/// values are tabulated per position exactly as ggml computes them, so the rotation matches.
struct RotaryEmbedding {
    let style: RopeStyle
    let dimensionCount: Int          // n_rot: rotated dimensions per head
    let headDimension: Int
    let capacity: Int
    private let table: [Float]       // (position, n_rot/2, 2): cos, sin

    /// ggml_rope_cache_init: theta starts at the position and is multiplied by
    /// theta_scale = powf(base, -2/n_rot) once per pair; rope_yarn with ext_factor 0 takes
    /// cos/sin of freq_scale·theta (divided by the pair's frequency factor when the model has them).
    init(config: ModelConfig, capacity: Int, frequencyFactors: [Float]?) {
        style = config.architecture.ropeStyle
        dimensionCount = config.ropeDimensionCount
        headDimension = config.headDimension
        self.capacity = capacity
        let pairs = dimensionCount / 2
        let thetaScale = powf(config.ropeFrequencyBase, -2 / Float(dimensionCount))
        let frequencyScale = config.ropeFrequencyScale
        var table = [Float](repeating: 0, count: capacity * pairs * 2)
        for position in 0..<capacity {
            var theta = Float(position)
            for i in 0..<pairs {
                let factor = frequencyFactors?[i] ?? 1
                let angle = frequencyScale * (theta / factor)
                table[(position * pairs + i) * 2] = cosf(angle)
                table[(position * pairs + i) * 2 + 1] = sinf(angle)
                theta *= thetaScale
            }
        }
        self.table = table
    }

    /// Rotates `heads` heads of `headDimension` values stored side by side, at `position`.
    func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, position: Int) {
        let pairs = dimensionCount / 2
        table.withUnsafeBufferPointer { table in
            let cs = table.baseAddress! + position * pairs * 2
            for h in 0..<heads {
                let v = x + h * headDimension
                for i in 0..<pairs {
                    let cosine = cs[2 * i], sine = cs[2 * i + 1]
                    // NEOX pairs (i, i + n_rot/2); normal pairs (2i, 2i+1) (ggml_compute_forward_rope).
                    let a = style == .neox ? i : 2 * i
                    let b = style == .neox ? i + pairs : 2 * i + 1
                    let x0 = v[a], x1 = v[b]
                    // bitnet.cpp's clang build contracts these to FMAs (-ffp-contract=on):
                    // fma(x0, cos, -(x1·sin)) and fma(x0, sin, x1·cos).
                    v[a] = (-(x1 * sine)).addingProduct(x0, cosine)
                    v[b] = (x1 * cosine).addingProduct(x0, sine)
                }
            }
        }
    }
}
