import GGUF

/// The hyperparameters of a model, read from its GGUF metadata and checked for consistency.
public struct ModelConfig: Sendable, Equatable {
    /// The graph family.
    public var architecture: ModelArchitecture
    /// Width of the residual stream (`embedding_length`).
    public var embeddingLength: Int
    /// Width of the FFN's hidden layer (`feed_forward_length`).
    public var feedForwardLength: Int
    /// Number of transformer blocks (`block_count`).
    public var layerCount: Int
    /// Query heads (`attention.head_count`).
    public var headCount: Int
    /// Key/value heads (`attention.head_count_kv`; equal to `headCount` without GQA).
    public var kvHeadCount: Int
    /// Width of one head (`attention.key_length`, else embedding / heads).
    public var headDimension: Int
    /// Rows of the token embedding.
    public var vocabularySize: Int
    /// The longest context the model was trained for (`context_length`).
    public var contextLength: Int
    /// Rotated dimensions per head (`rope.dimension_count`, else the head width).
    public var ropeDimensionCount: Int
    /// RoPE base θ (`rope.freq_base`, default 10000).
    public var ropeFrequencyBase: Float
    /// ggml's freq_scale: 1 / `rope.scaling.factor` for linear scaling, else 1.
    public var ropeFrequencyScale: Float
    /// The ε of every RMSNorm (`attention.layer_norm_rms_epsilon`).
    public var rmsNormEpsilon: Float

    /// Width of all query heads together.
    public var queryDimension: Int { headCount * headDimension }
    /// Width of all key (or value) heads together.
    public var kvDimension: Int { kvHeadCount * headDimension }
    /// Query heads per key/value head.
    public var headsPerKVHead: Int { headCount / kvHeadCount }

    /// Makes a configuration from explicit values (tests, synthetic models).
    public init(architecture: ModelArchitecture, embeddingLength: Int, feedForwardLength: Int,
                layerCount: Int, headCount: Int, kvHeadCount: Int, headDimension: Int,
                vocabularySize: Int, contextLength: Int, ropeDimensionCount: Int,
                ropeFrequencyBase: Float, ropeFrequencyScale: Float = 1, rmsNormEpsilon: Float) throws {
        self.architecture = architecture
        self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength
        self.layerCount = layerCount
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.headDimension = headDimension
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.ropeDimensionCount = ropeDimensionCount
        self.ropeFrequencyBase = ropeFrequencyBase
        self.ropeFrequencyScale = ropeFrequencyScale
        self.rmsNormEpsilon = rmsNormEpsilon
        try validate()
    }

    /// Reads the configuration of a model: the `<arch>.*` keys, and the vocabulary size from the
    /// token embedding's shape.
    public init(source: TensorSource) throws {
        let metadata = source.metadata
        let architecture = try ModelArchitecture(metadata: metadata)
        let keys = MetadataReader(metadata: metadata, prefix: architecture.keyPrefix)

        let embedding = try keys.positiveInt("embedding_length")
        let heads = try keys.positiveInt("attention.head_count")
        let kvHeads = try keys.optionalInt("attention.head_count_kv") ?? heads
        let headDimension: Int
        if let keyLength = try keys.optionalInt("attention.key_length") {
            headDimension = keyLength
        } else if embedding % heads == 0 {
            headDimension = embedding / heads
        } else {
            throw ModelError.invalidKey(key: keys.key("attention.head_count"), value: "\(heads)",
                                        expected: "a divisor of embedding_length \(embedding)")
        }
        if let valueLength = try keys.optionalInt("attention.value_length"), valueLength != headDimension {
            throw ModelError.invalidKey(key: keys.key("attention.value_length"), value: "\(valueLength)",
                                        expected: "equal to the key length \(headDimension)")
        }
        guard let epsilon = try keys.optionalFloat("attention.layer_norm_rms_epsilon") else {
            throw ModelError.missingKey(keys.key("attention.layer_norm_rms_epsilon"))
        }
        let frequencyScale = try Self.ropeFrequencyScale(keys)

        guard let embeddingInfo = source.tensorInfos.first(where: { $0.name == "token_embd.weight" }) else {
            throw ModelError.missingTensor("token_embd.weight")
        }
        guard embeddingInfo.shape.count == 2, embeddingInfo.shape[0] == embedding, embeddingInfo.shape[1] > 0 else {
            throw ModelError.tensorShape(name: "token_embd.weight", expected: [embedding, -1],
                                         actual: embeddingInfo.shape)
        }

        try self.init(
            architecture: architecture,
            embeddingLength: embedding,
            feedForwardLength: try keys.positiveInt("feed_forward_length"),
            layerCount: try keys.positiveInt("block_count"),
            headCount: heads,
            kvHeadCount: kvHeads,
            headDimension: headDimension,
            vocabularySize: embeddingInfo.shape[1],
            contextLength: try keys.positiveInt("context_length"),
            ropeDimensionCount: try keys.optionalInt("rope.dimension_count") ?? headDimension,
            ropeFrequencyBase: try keys.optionalFloat("rope.freq_base") ?? 10000,
            ropeFrequencyScale: frequencyScale,
            rmsNormEpsilon: epsilon)
    }

    /// ggml's freq_scale from `rope.scaling.type` / `rope.scaling.factor`: only linear scaling
    /// (and none) are implemented, so other kinds are refused rather than run wrongly.
    private static func ropeFrequencyScale(_ keys: MetadataReader) throws -> Float {
        let kind = try keys.optionalString("rope.scaling.type") ?? "none"
        let factor = try keys.optionalFloat("rope.scaling.factor") ?? 1
        switch kind {
        case "none":
            return 1
        case "linear":
            guard factor > 0 else {
                throw ModelError.invalidKey(key: keys.key("rope.scaling.factor"), value: "\(factor)",
                                            expected: "a positive factor")
            }
            return 1 / factor
        default:
            throw ModelError.invalidKey(key: keys.key("rope.scaling.type"), value: "'\(kind)'",
                                        expected: "'none' or 'linear' (the RoPE scalings this engine implements)")
        }
    }

    private func validate() throws {
        let prefix = architecture.keyPrefix
        func require(_ ok: Bool, _ key: String, _ value: Any, _ expected: String) throws {
            if !ok { throw ModelError.invalidKey(key: "\(prefix).\(key)", value: "\(value)", expected: expected) }
        }
        try require(embeddingLength > 0, "embedding_length", embeddingLength, "a positive integer")
        try require(feedForwardLength > 0, "feed_forward_length", feedForwardLength, "a positive integer")
        try require(layerCount > 0, "block_count", layerCount, "a positive integer")
        try require(headCount > 0, "attention.head_count", headCount, "a positive integer")
        try require(kvHeadCount > 0 && headCount % kvHeadCount == 0, "attention.head_count_kv", kvHeadCount,
                    "a divisor of attention.head_count \(headCount)")
        try require(headDimension > 0 && headDimension % 2 == 0, "attention.key_length", headDimension,
                    "an even head width")
        try require(ropeDimensionCount > 0 && ropeDimensionCount % 2 == 0 && ropeDimensionCount <= headDimension,
                    "rope.dimension_count", ropeDimensionCount, "an even number of at most the head width \(headDimension)")
        try require(contextLength > 0, "context_length", contextLength, "a positive integer")
        try require(ropeFrequencyBase > 0, "rope.freq_base", ropeFrequencyBase, "a positive number")
        try require(rmsNormEpsilon >= 0, "attention.layer_norm_rms_epsilon", rmsNormEpsilon, "a non-negative number")
        try require(vocabularySize > 0, "vocab_size", vocabularySize, "a positive integer")
    }
}
