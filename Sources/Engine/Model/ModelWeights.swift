import GGUF
import Kernels

/// The weights of one transformer block. Matrices are (rows = out, columns = in).
struct LayerWeights {
    var attentionNorm: [Float]            // (dim,)
    var query: any PreparedWeights        // (n_heads * head_dim, dim)
    var key: any PreparedWeights          // (n_kv_heads * head_dim, dim)
    var value: any PreparedWeights        // (n_kv_heads * head_dim, dim)
    var attentionSubNorm: [Float]?        // (n_heads * head_dim,)  BitNet SubLN only
    var attentionOutput: any PreparedWeights  // (dim, n_heads * head_dim)
    var feedForwardNorm: [Float]          // (dim,)
    var gate: any PreparedWeights         // (ffn, dim)
    var up: any PreparedWeights           // (ffn, dim)
    var feedForwardSubNorm: [Float]?      // (ffn,)  BitNet SubLN only
    var down: any PreparedWeights         // (dim, ffn)
}

/// Every weight of a model, bound to its kernels. The source is kept alive because the prepared
/// weights and the embedding table may point into its bytes.
public final class ModelWeights: @unchecked Sendable {
    /// The hyperparameters the weights were checked against.
    public let config: ModelConfig
    /// Where the bytes live.
    public let source: TensorSource
    let tokenEmbedding: EmbeddingTable     // (vocab, dim)
    let layers: [LayerWeights]             // (layer)
    let outputNorm: [Float]                // (dim,)
    let output: any PreparedWeights        // (vocab, dim): output.weight, or token_embd when tied
    /// Per-pair RoPE frequency divisors (`rope_freqs.weight`, Llama 3.1 style), when present.
    let ropeFrequencyFactors: [Float]?     // (n_rot/2,)
    /// True when the LM head is the token embedding.
    public let tiedOutput: Bool
    /// Linear tensors bound (aliases included) and the distinct prepared matrices behind them.
    public let boundMatrixCount: Int
    public let distinctMatrixCount: Int
    /// Bytes of weight data of the distinct prepared matrices (what one token streams).
    public let distinctWeightBytes: Int
    private let ownedBlobs: [OwnedBuffer]

    /// Binds every tensor the architecture needs; shapes and types are checked before use.
    public init(source: TensorSource, config: ModelConfig, path: KernelPath, tiles: TileConfigurationTable) throws {
        self.config = config
        self.source = source
        let binder = WeightBinder(source: source, path: path, tiles: tiles)
        let dim = config.embeddingLength, ffn = config.feedForwardLength
        let qDim = config.queryDimension, kvDim = config.kvDimension
        let subNorms = config.architecture.hasSubLayerNorms

        tokenEmbedding = try EmbeddingTable(binder: binder, name: "token_embd.weight",
                                            vocabularySize: config.vocabularySize, dimension: dim)
        var layers: [LayerWeights] = []
        layers.reserveCapacity(config.layerCount)
        for l in 0..<config.layerCount {
            let p = "blk.\(l)."
            layers.append(LayerWeights(
                attentionNorm: try binder.vector(p + "attn_norm.weight", count: dim),
                query: try binder.linear(p + "attn_q.weight", rows: qDim, columns: dim),
                key: try binder.linear(p + "attn_k.weight", rows: kvDim, columns: dim),
                value: try binder.linear(p + "attn_v.weight", rows: kvDim, columns: dim),
                attentionSubNorm: subNorms ? try binder.vector(p + "attn_sub_norm.weight", count: qDim) : nil,
                attentionOutput: try binder.linear(p + "attn_output.weight", rows: dim, columns: qDim),
                feedForwardNorm: try binder.vector(p + "ffn_norm.weight", count: dim),
                gate: try binder.linear(p + "ffn_gate.weight", rows: ffn, columns: dim),
                up: try binder.linear(p + "ffn_up.weight", rows: ffn, columns: dim),
                feedForwardSubNorm: subNorms ? try binder.vector(p + "ffn_sub_norm.weight", count: ffn) : nil,
                down: try binder.linear(p + "ffn_down.weight", rows: dim, columns: ffn)))
        }
        self.layers = layers
        outputNorm = try binder.vector("output_norm.weight", count: dim)
        ropeFrequencyFactors = binder.contains("rope_freqs.weight")
            ? try binder.vector("rope_freqs.weight", count: config.ropeDimensionCount / 2) : nil
        // FORMATS.md 4.1/4.2 and pitfall 12: the LM head is token_embd unless output.weight exists.
        tiedOutput = !binder.contains("output.weight")
        output = try binder.linear(tiedOutput ? "token_embd.weight" : "output.weight",
                                   rows: config.vocabularySize, columns: dim)
        boundMatrixCount = binder.boundCount
        distinctMatrixCount = binder.distinctCount
        distinctWeightBytes = binder.distinctWeightBytes
        ownedBlobs = binder.ownedBlobs
    }

    /// The block matrices in the order a forward pass runs them (per layer: q, k, v, attention
    /// output, gate, up, down), aliases included, for counting a pass's work.
    public var blockMatrices: [any PreparedWeights] {
        layers.flatMap { [$0.query, $0.key, $0.value, $0.attentionOutput, $0.gate, $0.up, $0.down] }
    }

    /// The LM head (output.weight, or token_embd when tied) as bound.
    public var outputMatrix: any PreparedWeights { output }
}
