import CEngineKernels
import Kernels

/// Causal scaled-dot-product attention of a batch of queries over the KV cache, with GQA, at
/// ggml's precision points (q and the softmax weights rounded to F16, F16 dots in ggml's order,
/// softmax with ggml's exp and a double sum): `be_attend_head` per query head.
struct Attention {
    let headCount: Int
    let kvHeadCount: Int
    let headDimension: Int
    let scale: Float               // 1/sqrt(head_dim), ggml's kq_scale
    let useAVX2: Int32

    init(config: ModelConfig, useAVX2: Bool) {
        headCount = config.headCount
        kvHeadCount = config.kvHeadCount
        headDimension = config.headDimension
        scale = 1 / Float(config.headDimension).squareRoot()
        self.useAVX2 = useAVX2 ? 1 : 0
    }

    /// out (batch, n_heads·head_dim) = softmax(q·Kᵀ·scale + causal mask)·V for the tokens at
    /// positions start..<start+batch, with q (batch, n_heads·head_dim). The cache must already
    /// hold keys and values for positions 0..<start+batch.
    func run(layer: Int, queries: UnsafePointer<Float>, batch: Int, startPosition: Int, cache: KVCache,
             scratch: [AttentionScratch], pool: WorkerPool, into out: UnsafeMutablePointer<Float>) {
        // Work items are (query head, stripe of tokens); striping balances the causal triangle.
        let stripes = min(batch, max(1, (4 * pool.threadCount + headCount - 1) / headCount))
        let items = headCount * stripes
        let body = { (range: Range<Int>, worker: Int) in
            for item in range {
                self.runItem(layer: layer, head: item / stripes, stripe: item % stripes, stripes: stripes,
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

    private func runItem(layer: Int, head: Int, stripe: Int, stripes: Int, queries: UnsafePointer<Float>, batch: Int,
                         startPosition: Int, cache: KVCache, scratch: AttentionScratch, into out: UnsafeMutablePointer<Float>) {
        let hd = headDimension
        let kvHead = head / (headCount / kvHeadCount)
        let keys = cache.keys(layer: layer, head: kvHead)
        let values = cache.transposedValues(layer: layer, head: kvHead)
        let queryWidth = headCount * hd
        var token = stripe
        while token < batch {
            let offset = token * queryWidth + head * hd
            be_attend_head(keys, values, queries + offset, startPosition + token + 1, hd, scale,
                           scratch.scores, scratch.weights, scratch.query, out + offset, useAVX2)
            token += stripes
        }
    }
}
