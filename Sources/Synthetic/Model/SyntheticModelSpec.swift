import GGUF
import Kernels

/// Everything that determines a synthetic model's bytes: shape, weight type, vocabulary size,
/// seed and ternary distribution. The same spec always gives the same bytes.
public struct SyntheticModelSpec: Sendable, Equatable {
    /// The model shape (a preset or custom).
    public var shape: ModelShape
    /// The type of the seven projections (`--type`).
    public var weightType: WeightFormatID
    /// Vocabulary size (`--vocab`); the built-in 1000-token vocabulary by default.
    public var vocabSize: Int
    /// The seed of every counter stream (`--seed`).
    public var seed: UInt64
    /// How ternary weights are drawn.
    public var distribution: TernaryDistribution
    /// Forces the token embedding's type (`--token-embedding-type`); nil follows the llama-quantize rule.
    public var tokenEmbeddingType: GGMLType?

    /// Makes a spec.
    public init(shape: ModelShape, weightType: WeightFormatID, vocabSize: Int = SyntheticVocabulary.defaultSize,
                seed: UInt64 = 1, distribution: TernaryDistribution = .absmeanGaussian,
                tokenEmbeddingType: GGMLType? = nil) {
        self.shape = shape
        self.weightType = weightType
        self.vocabSize = vocabSize
        self.seed = seed
        self.distribution = distribution
        self.tokenEmbeddingType = tokenEmbeddingType
    }

    /// The token embedding type in effect.
    public var effectiveTokenEmbeddingType: GGMLType {
        tokenEmbeddingType ?? weightType.defaultTokenEmbeddingType(hidden: shape.hidden)
    }

    /// "synthetic 700M i2_s seed 1" (the source label without aliasing).
    public var label: String {
        "synthetic \(shape.name) \(weightType.rawValue) seed \(seed)"
    }
}
