import CEngineKernels

/// The key and value cache of every layer, stored as IEEE half like llama.cpp's default
/// (type_k = type_v = f16). Values are rounded to F16 when written (after RoPE for keys).
///
/// Keys are (layer, kv_head, position, head_dim), so one head's keys stream in order for K·q.
/// Values are transposed as ggml's non-flash cache keeps them, and cut into tiles of 32 positions:
/// (layer, kv_head, position / 32, head_dim, position % 32). One step of ggml's F16 dot over the
/// positions then reads one 64-byte row, and a token's values land in one tile (not head_dim
/// pages apart).
final class KVCache {
    let layerCount: Int
    let kvHeadCount: Int
    let headDimension: Int
    /// Positions the cache holds.
    let capacity: Int
    /// The capacity rounded up to whole 32-position tiles (ggml pads n_kv to 32).
    let paddedCapacity: Int
    private let useAVX2: Int32
    private let keys: UnsafeMutablePointer<UInt16>    // (layer, kv_head, capacity, head_dim)
    private let values: UnsafeMutablePointer<UInt16>  // (layer, kv_head, paddedCapacity/32, head_dim, 32)

    /// Bytes one cache of this shape takes.
    static func byteCount(layers: Int, kvDimension: Int, capacity: Int) -> Int {
        layers * kvDimension * (capacity + paddedLength(capacity)) * MemoryLayout<UInt16>.stride
    }

    /// `count` rounded up to a multiple of 32.
    static func paddedLength(_ count: Int) -> Int { (count + 31) / 32 * 32 }

    init(layers: Int, kvHeads: Int, headDimension: Int, capacity: Int, useAVX2: Bool) {
        layerCount = layers
        kvHeadCount = kvHeads
        self.headDimension = headDimension
        self.capacity = capacity
        paddedCapacity = Self.paddedLength(capacity)
        self.useAVX2 = useAVX2 ? 1 : 0
        let keyCount = layers * kvHeads * capacity * headDimension
        let valueCount = layers * kvHeads * headDimension * paddedCapacity
        keys = .allocate(capacity: keyCount)
        values = .allocate(capacity: valueCount)
        // Zeros matter: positions past the current length are read with zero weights.
        keys.initialize(repeating: 0, count: keyCount)
        values.initialize(repeating: 0, count: valueCount)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// The keys of one head from position 0: (capacity, head_dim).
    @inline(__always)
    func keys(layer: Int, head: Int) -> UnsafePointer<UInt16> {
        UnsafePointer(keys + ((layer * kvHeadCount + head) * capacity) * headDimension)
    }

    /// The tiled transposed values of one head: (paddedCapacity/32, head_dim, 32).
    @inline(__always)
    func transposedValues(layer: Int, head: Int) -> UnsafePointer<UInt16> {
        UnsafePointer(values + ((layer * kvHeadCount + head) * headDimension) * paddedCapacity)
    }

    /// Stores one token's keys and values (kv_dim floats each, heads side by side) at `position`.
    func store(layer: Int, position: Int, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>) {
        let kvDimension = kvHeadCount * headDimension
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: kvDimension) { halves in
            let h = halves.baseAddress!
            be_f32_to_f16(k, h, kvDimension, useAVX2)
            for head in 0..<kvHeadCount {
                let destination = keys + ((layer * kvHeadCount + head) * capacity + position) * headDimension
                destination.update(from: h + head * headDimension, count: headDimension)
            }
            be_f32_to_f16(v, h, kvDimension, useAVX2)
            let tile = position / 32, lane = position % 32
            for head in 0..<kvHeadCount {
                let column = values + ((layer * kvHeadCount + head) * headDimension) * paddedCapacity
                    + tile * headDimension * 32 + lane
                for d in 0..<headDimension { column[d * 32] = h[head * headDimension + d] }
            }
        }
    }
}
