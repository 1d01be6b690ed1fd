import Engine
import Kernels
import Measurement

/// The work counts of a bench phase (pp N, tg N) for the energy model, from the bound weights'
/// shapes and formats, counted as the BitNet b1.58 paper's energy comparison does (Ma et al.,
/// "The Era of 1-bit LLMs", 2024, after Horowitz ISSCC 2014): per linear layer of M x K weights and
/// T tokens, M·K·T operations of the format's arithmetic (see `operationTypes`). The output head
/// counts only rows whose logits the session computes. DRAM bytes are an upper bound: the weights
/// streamed per forward pass plus the F16 KV cache read and written.
public struct PhaseWorkCounts: Sendable, Equatable {
    /// One bound linear matrix: M rows (outputs), K columns (inputs), format and weight bytes.
    public struct Matrix: Sendable, Equatable {
        /// Output features (M).
        public var rows: Int
        /// Input features (K).
        public var columns: Int
        /// The format its kernel runs.
        public var format: WeightFormatID
        /// Bytes one full product streams.
        public var weightBytes: Int

        /// Makes a matrix description.
        public init(rows: Int, columns: Int, format: WeightFormatID, weightBytes: Int) {
            self.rows = rows
            self.columns = columns
            self.format = format
            self.weightBytes = weightBytes
        }
    }

    /// Every block matrix of a forward pass, every layer (aliased layers included).
    public var blocks: [Matrix]
    /// The LM head.
    public var head: Matrix
    /// Transformer blocks, for the KV cache.
    public var layerCount: Int
    /// Elements of one position's key (and of its value) per layer.
    public var kvDimension: Int

    /// Bytes per KV cache element: the engine's cache is F16 (Engine/Model/KVCache.swift, type_k = type_v = f16).
    public static let kvBytesPerElement = 2

    /// What is counted and what is left out, carried into the estimate's note.
    public static let method = "per linear layer of M x K weights and T tokens as the BitNet b1.58 energy comparison counts: "
        + "ternary formats (I2_S, TL1, TL2, TQ1_0, TQ2_0) M*K*T int8_add (a ternary weight times an int8 activation is an add or subtract), "
        + "F16 M*K*T fp16_mult + fp16_add, F32 fp32_mult + fp32_add, Q8_0/Q4_0/Q4_1 int8_mult + int8_add (weights unpacked to int8 times int8 activations); "
        + "the output head in its own format only for rows whose logits are computed (1 per pp run, 1 per tg token); "
        + "attention scores and mixing, softmax, norms, RoPE, the FFN activation, embedding lookups and per-block/per-row scale multiplies are left out; "
        + "DRAM bytes = the weight bytes of every layer streamed once per forward pass (pp: ceil(N/batch) passes, head once; tg: every token) "
        + "plus the F16 KV cache (each pass reads K and V of every position up to its last token once and writes its tokens', in every layer), "
        + "an upper bound since cache-resident weights or KV do not come from DRAM"

    /// Makes counts over given matrices (tests, or a model described by hand).
    public init(blocks: [Matrix], head: Matrix, layerCount: Int, kvDimension: Int) {
        self.blocks = blocks
        self.head = head
        self.layerCount = layerCount
        self.kvDimension = kvDimension
    }

    /// Reads the shapes and formats of a session's bound weights.
    public init(weights: ModelWeights) {
        func describe(_ w: any PreparedWeights) -> Matrix {
            Matrix(rows: w.rows, columns: w.columns, format: w.format, weightBytes: w.weightBytes)
        }
        self.init(blocks: weights.blockMatrices.map(describe), head: describe(weights.outputMatrix),
                  layerCount: weights.config.layerCount, kvDimension: weights.config.kvDimension)
    }

    /// The operations one weight-activation product costs in a format (one of each per M·K·T).
    public static func operationTypes(for format: WeightFormatID) -> [String] {
        switch format {
        case .i2_s, .tl1, .tl2, .tq1_0, .tq2_0: return ["int8_add"]
        case .f16: return ["fp16_mult", "fp16_add"]
        case .f32: return ["fp32_mult", "fp32_add"]
        case .q8_0, .q4_0, .q4_1: return ["int8_mult", "int8_add"]
        }
    }

    /// Forward passes over the block matrices: one per batch for pp, one per token for tg.
    public static func passes(_ kind: BenchTest.Kind, tokens: Int, batch: Int) -> Int {
        switch kind {
        case .pp: return (tokens + max(batch, 1) - 1) / max(batch, 1)
        case .tg: return tokens
        }
    }

    /// Logit rows the session computes: the prompt's last token for pp, every decoded token for tg.
    public static func logitRows(_ kind: BenchTest.Kind, tokens: Int) -> Int {
        switch kind {
        case .pp: return tokens > 0 ? 1 : 0
        case .tg: return tokens
        }
    }

    /// The work of a phase of `tokens` tokens, the first at `startPosition` (0 for pp; the prompt
    /// length for tg), run in batches of `batch` (pp; tg runs one token per pass).
    public func work(_ kind: BenchTest.Kind, tokens: Int, startPosition: Int, batch: Int) -> WorkCounts {
        var operations: [String: Double] = [:]
        func add(_ m: Matrix, rows t: Int) {
            let products = Double(m.rows) * Double(m.columns) * Double(t)
            for type in Self.operationTypes(for: m.format) { operations[type, default: 0] += products }
        }
        for m in blocks { add(m, rows: tokens) }
        let logits = Self.logitRows(kind, tokens: tokens)
        if logits > 0 { add(head, rows: logits) }

        let blockBytes = Double(blocks.reduce(0) { $0 + $1.weightBytes })
        let passes = Double(Self.passes(kind, tokens: tokens, batch: batch))
        // Head weights stream once per pass that computes logits: once for pp, every token for tg.
        let headPasses = Double(kind == .pp ? (logits > 0 ? 1 : 0) : logits)
        let weightBytes = passes * blockBytes + headPasses * Double(head.weightBytes)
        // A pass ending at position e reads K and V of positions 0..<e once (its tokens share them)
        // and writes its own tokens' K and V.
        let step = kind == .tg ? 1 : max(batch, 1)
        var positionsRead = 0.0
        var done = 0
        while done < tokens {
            done = min(done + step, tokens)
            positionsRead += Double(startPosition + done)
        }
        let perPosition = Double(layerCount * 2 * kvDimension * Self.kvBytesPerElement)
        let kvBytes = (positionsRead + Double(tokens)) * perPosition
        return WorkCounts(operations: operations, dramBytes: weightBytes + kvBytes, method: Self.method)
    }
}
