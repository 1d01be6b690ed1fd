/// One worker's private buffers for attention, sized for the padded cache capacity.
final class AttentionScratch: @unchecked Sendable {
    let scores: UnsafeMutablePointer<Float>     // (padded capacity,): one query's scores, then weights
    let weights: UnsafeMutablePointer<UInt16>   // (padded capacity,): the weights as F16
    let query: UnsafeMutablePointer<UInt16>     // (head_dim,): the query as F16

    /// Bytes one scratch takes for this shape.
    static func byteCount(capacity: Int, headDimension: Int) -> Int {
        let padded = KVCache.paddedLength(capacity)
        return padded * (MemoryLayout<Float>.stride + MemoryLayout<UInt16>.stride) + headDimension * MemoryLayout<UInt16>.stride
    }

    init(capacity: Int, headDimension: Int) {
        let padded = KVCache.paddedLength(capacity)
        scores = .allocate(capacity: padded)
        weights = .allocate(capacity: padded)
        query = .allocate(capacity: headDimension)
        scores.initialize(repeating: 0, count: padded)
        weights.initialize(repeating: 0, count: padded)
        query.initialize(repeating: 0, count: headDimension)
    }

    deinit {
        scores.deallocate()
        weights.deallocate()
        query.deallocate()
    }
}
