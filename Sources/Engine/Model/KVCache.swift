/// The key and value cache of every layer, stored as IEEE half like llama.cpp's default
/// (type_k = type_v = f16). Values are rounded to F16 when written (after RoPE for keys).
///
/// Layout: keys and values are each (layer, kv_head, position, head_dim), so one head's history
/// is contiguous and streams in order during attention.
final class KVCache {
    let layerCount: Int
    let kvHeadCount: Int
    let headDimension: Int
    /// Positions the cache holds.
    let capacity: Int
    private let keys: UnsafeMutablePointer<UInt16>    // (layer, kv_head, capacity, head_dim)
    private let values: UnsafeMutablePointer<UInt16>  // (layer, kv_head, capacity, head_dim)

    /// Bytes one cache of this shape takes.
    static func byteCount(layers: Int, kvDimension: Int, capacity: Int) -> Int {
        2 * layers * kvDimension * capacity * MemoryLayout<UInt16>.stride
    }

    init(layers: Int, kvHeads: Int, headDimension: Int, capacity: Int) {
        layerCount = layers
        kvHeadCount = kvHeads
        self.headDimension = headDimension
        self.capacity = capacity
        let count = layers * kvHeads * capacity * headDimension
        keys = .allocate(capacity: count)
        values = .allocate(capacity: count)
        keys.initialize(repeating: 0, count: count)
        values.initialize(repeating: 0, count: count)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    @inline(__always)
    private func offset(layer: Int, head: Int, position: Int) -> Int {
        ((layer * kvHeadCount + head) * capacity + position) * headDimension
    }

    /// The keys of one head from position 0: (capacity, head_dim).
    @inline(__always)
    func keys(layer: Int, head: Int) -> UnsafeMutablePointer<UInt16> {
        keys + offset(layer: layer, head: head, position: 0)
    }

    /// The values of one head from position 0: (capacity, head_dim).
    @inline(__always)
    func values(layer: Int, head: Int) -> UnsafeMutablePointer<UInt16> {
        values + offset(layer: layer, head: head, position: 0)
    }

    /// Stores one token's keys and values (kv_dim floats each, heads side by side) at `position`.
    func store(layer: Int, position: Int, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>) {
        for head in 0..<kvHeadCount {
            let o = offset(layer: layer, head: head, position: position)
            HalfConversion.narrow(k + head * headDimension, keys + o, count: headDimension)
            HalfConversion.narrow(v + head * headDimension, values + o, count: headDimension)
        }
    }
}
