import Kernels

/// The forward pass, batched over tokens (llama2.c's `forward`, one named step per line).
///
/// A call runs a batch of tokens at consecutive positions through every block: each linear layer
/// is one multiply over the whole batch (GEMM; GEMV at batch 1), attention runs per token over
/// the cache. The format kernels quantize their own activations (per-token int8 for ternary
/// formats, W1.58A8), so the pass is the same for every format.
final class Transformer {
    let config: ModelConfig
    let weights: ModelWeights
    let cache: KVCache
    let state: RunState
    let pool: WorkerPool
    let rope: RotaryEmbedding
    let attention: Attention
    /// Accumulated time per part of the pass.
    var breakdown = TimeBreakdown()

    /// Whether the attention, RoPE and activation loops run their AVX2/FMA/F16C forms.
    let useAVX2: Bool

    init(weights: ModelWeights, capacity: Int, batch: Int, pool: WorkerPool, path: KernelPath, frequencyFactors: [Float]?) {
        let config = weights.config
        self.config = config
        self.weights = weights
        self.pool = pool
        useAVX2 = path.usesAVX2Kernels
        cache = KVCache(layers: config.layerCount, kvHeads: config.kvHeadCount,
                        headDimension: config.headDimension, capacity: capacity, useAVX2: useAVX2)
        state = RunState(config: config, batch: batch, capacity: capacity, threads: pool.threadCount)
        rope = RotaryEmbedding(config: config, capacity: capacity, frequencyFactors: frequencyFactors)
        attention = Attention(config: config, useAVX2: useAVX2)
    }

    // MARK: The pass

    /// Runs tokens at positions start..<start+count through every block, leaving the final
    /// residual stream in `state.x` (count, dim). count ≤ the batch capacity; the caller has
    /// checked that the positions fit the cache.
    func forwardBlocks(_ tokens: UnsafeBufferPointer<Int>, startPosition: Int) throws {
        let batch = tokens.count
        precondition(batch > 0 && batch <= state.batchCapacity && startPosition + batch <= cache.capacity)
        try timed(.embedding) {
            for b in 0..<batch {
                try weights.tokenEmbedding.lookup(tokens[b], into: state.x + b * config.embeddingLength)
            }
        }
        for layer in 0..<config.layerCount {
            forwardBlock(layer, batch: batch, startPosition: startPosition)
        }
    }

    /// One transformer block on the batch in `state.x`.
    private func forwardBlock(_ l: Int, batch: Int, startPosition: Int) {
        let w = weights.layers[l]
        let s = state
        let dim = config.embeddingLength, ffn = config.feedForwardLength
        let qDim = config.queryDimension, kvDim = config.kvDimension

        // Attention: h = rmsnorm(x)·attn_norm; q, k, v = Wq h, Wk h, Wv h
        rmsnorm(s.x, weight: w.attentionNorm, width: dim, batch: batch, into: s.xb)
        matmul(w.query, s.xb, batch: batch, into: s.q)
        matmul(w.key, s.xb, batch: batch, into: s.k)
        matmul(w.value, s.xb, batch: batch, into: s.v)
        // RoPE on q and k; keys and values into the F16 cache
        timed(.attention) {
            forEachRow(batch) { b in
                self.rope.apply(s.q + b * qDim, heads: self.config.headCount, position: startPosition + b,
                                useAVX2: self.useAVX2)
                self.rope.apply(s.k + b * kvDim, heads: self.config.kvHeadCount, position: startPosition + b,
                                useAVX2: self.useAVX2)
                self.cache.store(layer: l, position: startPosition + b, keys: s.k + b * kvDim, values: s.v + b * kvDim)
            }
            attention.run(layer: l, queries: s.q, batch: batch, startPosition: startPosition, cache: cache,
                          scratch: s.scratch, pool: pool, into: s.attention)
        }
        // SubLN: attention output normalized before Wo (BitNet only)
        if let subNorm = w.attentionSubNorm {
            rmsnorm(s.attention, weight: subNorm, width: qDim, batch: batch, into: s.attention)
        }
        matmul(w.attentionOutput, s.attention, batch: batch, into: s.xb2)
        residual(s.x, s.xb2, count: batch * dim)

        // FFN: h = rmsnorm(x)·ffn_norm; f = act(Wgate h)·(Wup h); x += Wdown f
        rmsnorm(s.x, weight: w.feedForwardNorm, width: dim, batch: batch, into: s.xb)
        matmul(w.gate, s.xb, batch: batch, into: s.hb)
        matmul(w.up, s.xb, batch: batch, into: s.hb2)
        let activation = config.architecture.feedForwardActivation
        let avx2 = useAVX2
        timed(.elementwise) {
            // Whole rows when there are several, so ggml's per-row vector/tail split is kept.
            forEachChunk(batch * ffn, granularity: batch == 1 ? 64 : ffn) { range in
                activation.applyGated(s.hb, up: s.hb2, range: range, rowWidth: ffn, useAVX2: avx2)
            }
        }
        if let subNorm = w.feedForwardSubNorm {
            rmsnorm(s.hb, weight: subNorm, width: ffn, batch: batch, into: s.hb)
        }
        matmul(w.down, s.hb, batch: batch, into: s.xb2)
        residual(s.x, s.xb2, count: batch * dim)
    }

    /// Logits (rows.count, vocab) into `state.logits` for rows of the last `forwardBlocks` batch:
    /// logits = W_out · (rmsnorm(x)·output_norm). rows.count ≤ `state.logitRows`.
    /// The head runs as one product over all rows: every format's GEMM sums each (row, token) in
    /// the same order as its GEMV (Tests/KernelsTests BatchIndependenceTests), so a position's
    /// logits never depend on which other positions share its batch.
    func computeLogits(rows: Range<Int>) {
        precondition(rows.count > 0 && rows.count <= state.logitRows)
        let dim = config.embeddingLength
        timed(.outputHead) {
            let normed = state.xb
            forEachRow(rows.count) { i in
                RMSNorm.apply(self.state.x + (rows.lowerBound + i) * dim, weight: self.weights.outputNorm,
                              epsilon: self.config.rmsNormEpsilon, count: dim, into: normed + i * dim)
            }
            weights.output.multiply(normed, batch: rows.count, into: state.logits, pool: pool)
        }
    }

    // MARK: Steps

    /// out[b] = rmsnorm(x[b])·weight for each of `batch` rows of `width` (may be in place).
    private func rmsnorm(_ x: UnsafeMutablePointer<Float>, weight: [Float], width: Int, batch: Int,
                         into out: UnsafeMutablePointer<Float>) {
        let epsilon = config.rmsNormEpsilon
        timed(.norms) {
            weight.withUnsafeBufferPointer { w in
                let wp = w.baseAddress!
                forEachRow(batch) { b in
                    RMSNorm.apply(x + b * width, weight: wp, epsilon: epsilon, count: width, into: out + b * width)
                }
            }
        }
    }

    /// W (rows, cols) @ x (batch, cols) -> out (batch, rows), one kernel call for the batch.
    @inline(__always)
    private func matmul(_ w: any PreparedWeights, _ x: UnsafeMutablePointer<Float>, batch: Int,
                        into out: UnsafeMutablePointer<Float>) {
        timed(.matmul) { w.multiply(x, batch: batch, into: out, pool: pool) }
    }

    /// x += y over `count` values.
    private func residual(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        timed(.elementwise) {
            forEachChunk(count) { range in
                for i in range { x[i] += y[i] }
            }
        }
    }

    // MARK: Scheduling and timing

    @inline(__always)
    private func timed<T>(_ category: TimeBreakdown.Category, _ body: () throws -> T) rethrows -> T {
        let start = MonotonicClock.now()
        defer { breakdown.add(category, nanoseconds: MonotonicClock.now() &- start) }
        return try body()
    }

    /// Runs body(row) for every row, split across the workers when there is more than one row.
    private func forEachRow(_ rows: Int, _ body: (Int) -> Void) {
        if rows == 1 || pool.threadCount == 1 {
            for r in 0..<rows { body(r) }
        } else {
            pool.parallelFor(rows) { range, _ in
                for r in range { body(r) }
            }
        }
    }

    /// Runs body on contiguous pieces of 0..<count, split across the workers when it is large:
    /// one token's activation (a few µs of AVX2 work) is cheaper inline than a pool dispatch.
    private func forEachChunk(_ count: Int, granularity: Int = 64, _ body: (Range<Int>) -> Void) {
        if count < 1 << 16 || pool.threadCount == 1 {
            body(0..<count)
        } else {
            pool.parallelFor(count, granularity: granularity) { range, _ in body(range) }
        }
    }
}
