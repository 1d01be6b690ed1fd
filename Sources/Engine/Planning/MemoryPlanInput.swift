/// What a run needs memory for, given to `MemoryPlanner` before anything is allocated: the model
/// shape, the run settings (context, batch, threads) and the weight bytes that must be resident.
public struct MemoryPlanInput: Sendable, Equatable {
    /// Transformer blocks (L).
    public var layers: Int
    /// Hidden size (n_embd).
    public var embedding: Int
    /// FFN size (n_ff).
    public var ffn: Int
    /// Attention heads.
    public var heads: Int
    /// KV heads (GQA); equal to `heads` without GQA.
    public var kvHeads: Int
    /// Dimension of one head.
    public var headDim: Int
    /// Vocabulary size (rows of the LM head).
    public var vocab: Int
    /// Context length the KV cache is sized for (`-c`).
    public var context: Int
    /// Tokens processed per forward pass (prompt batch, `-b`).
    public var batch: Int
    /// Worker threads (`-t`); each one gets its own scratch.
    public var threads: Int
    /// Weight bytes that must be resident. Aliased layers count once (distinct bytes only).
    public var weightBytes: Int
    /// Bytes per KV-cache element: 2 for the default F16 cache, 4 for F32.
    public var kvBytesPerElement: Int

    /// Optional: bytes of one transformer block's weights, so a refusal can name `--alias-layers K`.
    public var layerWeightBytes: Int?
    /// Optional: weight bytes outside the blocks (embedding, output norm), for the same advice.
    public var nonLayerWeightBytes: Int?
    /// True when the model is synthetic, so its layers may be aliased (`--alias-layers`, `--fit-memory`).
    public var canAliasLayers: Bool
    /// Other weight types the same model could use, with their weight bytes, for `--type` advice.
    public var alternatives: [MemoryPlanAlternative]

    /// Makes an input; the optional advice fields default to "unknown".
    public init(layers: Int, embedding: Int, ffn: Int, heads: Int, kvHeads: Int, headDim: Int,
                vocab: Int, context: Int, batch: Int, threads: Int, weightBytes: Int,
                kvBytesPerElement: Int = 2, layerWeightBytes: Int? = nil, nonLayerWeightBytes: Int? = nil,
                canAliasLayers: Bool = false, alternatives: [MemoryPlanAlternative] = []) {
        self.layers = layers
        self.embedding = embedding
        self.ffn = ffn
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.vocab = vocab
        self.context = context
        self.batch = batch
        self.threads = threads
        self.weightBytes = weightBytes
        self.kvBytesPerElement = kvBytesPerElement
        self.layerWeightBytes = layerWeightBytes
        self.nonLayerWeightBytes = nonLayerWeightBytes
        self.canAliasLayers = canAliasLayers
        self.alternatives = alternatives
    }

    /// Throws when a field is out of range (negative sizes, zero layers, ...).
    public func validate() throws {
        let positive: [(String, Int)] = [
            ("layers", layers), ("embedding", embedding), ("ffn", ffn), ("heads", heads),
            ("kvHeads", kvHeads), ("headDim", headDim), ("vocab", vocab), ("context", context),
            ("batch", batch), ("threads", threads), ("kvBytesPerElement", kvBytesPerElement),
        ]
        for (name, value) in positive where value <= 0 {
            throw MemoryPlanError.invalidInput(field: name, value: value, expected: "a positive number")
        }
        // Caps keep every product below in Int range; no real model comes near them.
        let capped: [(String, Int, Int)] = [
            ("layers", layers, 1 << 16), ("embedding", embedding, 1 << 20), ("ffn", ffn, 1 << 22),
            ("heads", heads, 1 << 14), ("kvHeads", kvHeads, 1 << 14), ("headDim", headDim, 1 << 14),
            ("vocab", vocab, 1 << 24), ("context", context, 1 << 24), ("batch", batch, 1 << 20),
            ("threads", threads, 1 << 12), ("kvBytesPerElement", kvBytesPerElement, 8),
        ]
        for (name, value, cap) in capped where value > cap {
            throw MemoryPlanError.invalidInput(field: name, value: value, expected: "at most \(cap)")
        }
        if weightBytes < 0 {
            throw MemoryPlanError.invalidInput(field: "weightBytes", value: weightBytes, expected: "zero or more")
        }
    }
}

/// Another weight type the model could be run with, and its weight bytes.
public struct MemoryPlanAlternative: Sendable, Equatable {
    /// The `--type` value, e.g. "i2_s".
    public var name: String
    /// Resident weight bytes with that type.
    public var weightBytes: Int
    /// Makes an alternative.
    public init(name: String, weightBytes: Int) {
        self.name = name
        self.weightBytes = weightBytes
    }
}
