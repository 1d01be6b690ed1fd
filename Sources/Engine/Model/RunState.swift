/// The activation buffers of one forward pass over up to `batchCapacity` tokens, plus each
/// worker's attention scratch. Allocated once per session; released with it.
final class RunState {
    let batchCapacity: Int
    let x: UnsafeMutablePointer<Float>          // (batch, dim): the residual stream
    let xb: UnsafeMutablePointer<Float>         // (batch, dim): normed input of a matmul
    let xb2: UnsafeMutablePointer<Float>        // (batch, dim): output of Wo / Wdown
    let q: UnsafeMutablePointer<Float>          // (batch, n_heads·head_dim)
    let k: UnsafeMutablePointer<Float>          // (batch, n_kv_heads·head_dim)
    let v: UnsafeMutablePointer<Float>          // (batch, n_kv_heads·head_dim)
    let attention: UnsafeMutablePointer<Float>  // (batch, n_heads·head_dim): attention output
    let hb: UnsafeMutablePointer<Float>         // (batch, ffn): gate, then act(gate)·up
    let hb2: UnsafeMutablePointer<Float>        // (batch, ffn): up
    let logitRows: Int
    let logits: UnsafeMutablePointer<Float>     // (logitRows, vocab)
    let scratch: [AttentionScratch]             // (threads)
    private let allocations: [UnsafeMutablePointer<Float>]

    /// Rows of logits computed per LM-head call when every position's logits are wanted.
    static let logitRowCapacity = 32

    /// Bytes the buffers take for this shape (without the attention scratch).
    static func byteCount(config: ModelConfig, batch: Int) -> Int {
        let perToken = 3 * config.embeddingLength + 2 * config.queryDimension + 2 * config.kvDimension
            + 2 * config.feedForwardLength
        return MemoryLayout<Float>.stride * (batch * perToken + min(batch, logitRowCapacity) * config.vocabularySize)
    }

    init(config: ModelConfig, batch: Int, capacity: Int, threads: Int) {
        batchCapacity = batch
        var allocations: [UnsafeMutablePointer<Float>] = []
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            allocations.append(p)
            return p
        }
        x = buffer(batch * config.embeddingLength)
        xb = buffer(batch * config.embeddingLength)
        xb2 = buffer(batch * config.embeddingLength)
        q = buffer(batch * config.queryDimension)
        k = buffer(batch * config.kvDimension)
        v = buffer(batch * config.kvDimension)
        attention = buffer(batch * config.queryDimension)
        hb = buffer(batch * config.feedForwardLength)
        hb2 = buffer(batch * config.feedForwardLength)
        logitRows = min(batch, Self.logitRowCapacity)
        logits = buffer(logitRows * config.vocabularySize)
        self.allocations = allocations
        scratch = (0..<threads).map { _ in AttentionScratch(capacity: capacity, headDimension: config.headDimension) }
    }

    deinit {
        for p in allocations { p.deallocate() }
    }
}
