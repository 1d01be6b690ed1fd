/// One worker's private buffers for attention, sized for the cache capacity.
final class AttentionScratch: @unchecked Sendable {
    let keys: UnsafeMutablePointer<Float>       // (capacity, head_dim): one head's keys, widened
    let values: UnsafeMutablePointer<Float>     // (capacity, head_dim): one head's values, widened
    let scores: UnsafeMutablePointer<Float>     // (capacity,): one query's scores, then weights
    let query: UnsafeMutablePointer<Float>      // (head_dim,): the query rounded to F16
    let lanes: UnsafeMutablePointer<Float>      // (32, head_dim): the ·V accumulators by t mod 32

    /// Floats one scratch holds for this shape.
    static func floatCount(capacity: Int, headDimension: Int) -> Int {
        2 * capacity * headDimension + capacity + headDimension + 32 * headDimension
    }

    init(capacity: Int, headDimension: Int) {
        keys = .allocate(capacity: capacity * headDimension)
        values = .allocate(capacity: capacity * headDimension)
        scores = .allocate(capacity: capacity)
        query = .allocate(capacity: headDimension)
        lanes = .allocate(capacity: 32 * headDimension)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        scores.deallocate()
        query.deallocate()
        lanes.deallocate()
    }
}
