import CEngineKernels
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
    func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, position: Int, useAVX2: Bool) {
        table.withUnsafeBufferPointer { table in
            be_rope(x, heads, headDimension, dimensionCount, table.baseAddress! + position * dimensionCount,
                    style == .neox ? 1 : 0, useAVX2 ? 1 : 0)
        }
    }
}
