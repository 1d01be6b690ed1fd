import Kernels

/// Causal scaled-dot-product attention of a batch of queries over the KV cache, with GQA,
/// at ggml's precision points: q rounded to F16 for K·q, scores scaled in f32, softmax with a
/// double sum, weights rounded to F16 for ·V, every dot summed in ggml's AVX2 order.
struct Attention {
    let headCount: Int
    let kvHeadCount: Int
    let headDimension: Int
    let scale: Float               // 1/sqrt(head_dim), ggml's kq_scale

    init(config: ModelConfig) {
        headCount = config.headCount
        kvHeadCount = config.kvHeadCount
        headDimension = config.headDimension
        scale = 1 / Float(config.headDimension).squareRoot()
    }

    /// out (batch, n_heads·head_dim) = softmax(q·Kᵀ·scale + causal mask)·V for the tokens at
    /// positions start..<start+batch, with q (batch, n_heads·head_dim). The cache must already
    /// hold keys and values for positions 0..<start+batch.
    func run(layer: Int, queries: UnsafePointer<Float>, batch: Int, startPosition: Int, cache: KVCache,
             scratch: [AttentionScratch], pool: WorkerPool, into out: UnsafeMutablePointer<Float>) {
        // Work items are (kv head, stripe of tokens); striping balances the causal triangle, and
        // each item widens its head's cache once for all the queries it serves.
        let stripes = min(batch, max(1, (4 * pool.threadCount + kvHeadCount - 1) / kvHeadCount))
        let items = kvHeadCount * stripes
        let body = { (range: Range<Int>, worker: Int) in
            for item in range {
                self.runItem(layer: layer, kvHead: item / stripes, stripe: item % stripes, stripes: stripes,
                             queries: queries, batch: batch, startPosition: startPosition, cache: cache,
                             scratch: scratch[worker], into: out)
            }
        }
        if items == 1 || pool.threadCount == 1 {
            body(0..<items, 0)
        } else {
            pool.parallelFor(items, body)
        }
    }

    private func runItem(layer: Int, kvHead: Int, stripe: Int, stripes: Int, queries: UnsafePointer<Float>,
                         batch: Int, startPosition: Int, cache: KVCache, scratch: AttentionScratch,
                         into out: UnsafeMutablePointer<Float>) {
        guard stripe < batch else { return }
        let hd = headDimension
        let lastToken = stripe + (batch - 1 - stripe) / stripes * stripes
        let length = startPosition + lastToken + 1
        HalfConversion.widen(cache.keys(layer: layer, head: kvHead), scratch.keys, count: length * hd)
        HalfConversion.widen(cache.values(layer: layer, head: kvHead), scratch.values, count: length * hd)
        let group = headCount / kvHeadCount
        let queryWidth = headCount * hd
        var token = stripe
        while token < batch {
            for head in (kvHead * group)..<((kvHead + 1) * group) {
                let offset = token * queryWidth + head * hd
                attendOne(query: queries + offset, length: startPosition + token + 1, scratch: scratch,
                          into: out + offset)
            }
            token += stripes
        }
    }

    /// One query head over `length` cached positions (widened in the scratch): out (head_dim,).
    @inline(__always)
    private func attendOne(query: UnsafePointer<Float>, length: Int, scratch: AttentionScratch,
                           into out: UnsafeMutablePointer<Float>) {
        let hd = headDimension
        let q = scratch.query, scores = scratch.scores, keys = scratch.keys, values = scratch.values
        // ggml converts q to F16 (the vec_dot_type of the F16 cache) before K·q.
        for d in 0..<hd { q[d] = Half.round(query[d]) }
        var maximum = -Float.infinity
        for t in 0..<length {
            let s = GGMLDot.dot(keys + t * hd, q, count: hd) * scale
            scores[t] = s
            maximum = max(maximum, s)
        }
        // ggml_soft_max_f32 over the row padded with masked (-inf, weight 0) entries to a multiple
        // of 8: ggml_v_expf per group of 8, each group summed in f32 as
        // ((v0+v4)+(v2+v6)) + ((v1+v5)+(v3+v7)), the groups summed in double.
        var sum: Double = 0
        var t = 0
        while t < length {
            var v = SIMD8<Float>()
            for lane in 0..<8 where t + lane < length {
                let e = GGMLMath.exp(scores[t + lane] - maximum)
                scores[t + lane] = e
                v[lane] = e
            }
            let w0 = v[4] + v[0], w1 = v[5] + v[1], w2 = v[6] + v[2], w3 = v[7] + v[3]
            sum += Double((w0 + w2) + (w1 + w3))
            t += 8
        }
        let inverse = Float(1 / sum)
        // The weights are rounded to F16 for the F16 ·V product (ggml's vec_dot_type).
        for t in 0..<length { scores[t] = Half.round(scores[t] * inverse) }

        // Σ_t w_t·V[t] in ggml's order: accumulator lane t mod 32 per output dimension, then the
        // same reduction tree as GGMLDot. Products of two F16 values are exact in f32.
        let lanes = scratch.lanes
        lanes.initialize(repeating: 0, count: 32 * hd)
        for t in 0..<length {
            let w = scores[t]
            if w == 0 { continue }
            let lane = lanes + (t & 31) * hd
            let v = values + t * hd
            for d in 0..<hd { lane[d] += w * v[d] }
        }
        for d in 0..<hd {
            var a = SIMD8<Float>()
            for l in 0..<8 {
                let s0 = lanes[l * hd + d], s1 = lanes[(8 + l) * hd + d]
                let s2 = lanes[(16 + l) * hd + d], s3 = lanes[(24 + l) * hd + d]
                a[l] = (s0 + s2) + (s1 + s3)
            }
            let t0 = a[0] + a[4], t1 = a[1] + a[5], t2 = a[2] + a[6], t3 = a[3] + a[7]
            out[d] = (t0 + t1) + (t2 + t3)
        }
    }
}
