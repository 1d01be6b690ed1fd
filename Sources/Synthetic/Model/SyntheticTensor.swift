import GGUF
import Kernels

/// One tensor of a synthetic model: its GGUF entry and how its values are made.
public struct SyntheticTensor: Sendable, Equatable {
    /// What the values are.
    public enum Role: Sendable, Equatable {
        /// The tied token embedding / LM head: Gaussian floats.
        case tokenEmbedding
        /// An RMSNorm weight vector: floats near 1.
        case norm
        /// A ternary projection with a per-tensor scale.
        case linear
    }

    /// GGUF name, e.g. "blk.3.ffn_down.weight".
    public var name: String
    /// ggml shape, ne0 first: [K, M] for a matrix, [n] for a vector.
    public var shape: [Int]
    /// Stored type.
    public var type: GGMLType
    /// Blob size (trailer included for I2_S/TL1/TL2).
    public var byteCount: Int
    /// How the values are made.
    public var role: Role
    /// The transformer block, or nil for the embedding and the output norm.
    public var layer: Int?
    /// Tiling for TL1/TL2; `.none` otherwise.
    public var parameters: FormatParameters

    /// Row length K (ne0).
    public var columns: Int { shape[0] }
    /// Number of rows M (1 for a vector).
    public var rows: Int { shape.count > 1 ? shape[1] : 1 }
    /// Elements.
    public var elementCount: Int { rows * columns }
    /// The name inside its block with the `blk.N.` prefix removed ("attn_q.weight").
    public var localName: String {
        guard let layer else { return name }
        return String(name.dropFirst("blk.\(layer).".count))
    }
}
