/// Token id by the token's exact UTF-8 bytes, without allocating per lookup. Keys are compared
/// byte for byte, as llama.cpp's `token_to_id` map does: Swift `String` keys would treat
/// canonically equivalent spellings ("é" and "e" + U+0301) as one token, and hash slowly.
/// Open addressing with linear probing over a power-of-two table at most half full.
struct TokenLookup: Sendable {
    private let bytes: [UInt8]       // all tokens' UTF-8, back to back
    private let offsets: [Int]       // token id -> start in `bytes`; offsets[count] = bytes.count
    private let slots: [Int32]       // -1 empty, else a token id
    private let mask: Int

    /// Indexes `tokens`; throws if two ids have the same bytes (llama.cpp refuses those too).
    init(tokens: [String]) throws {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        offsets.reserveCapacity(tokens.count + 1)
        for token in tokens {
            offsets.append(bytes.count)
            bytes.append(contentsOf: token.utf8)
        }
        offsets.append(bytes.count)
        var capacity = 16
        while capacity < tokens.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        try bytes.withUnsafeBufferPointer { all in
            for id in tokens.indices {
                let key = UnsafeBufferPointer(rebasing: all[offsets[id]..<offsets[id + 1]])
                var slot = Self.hash(key) & mask
                while slots[slot] >= 0 {
                    let other = Int(slots[slot])
                    if all[offsets[other]..<offsets[other + 1]].elementsEqual(key) {
                        throw TokenizerError(field: "tokenizer.ggml.tokens",
                                             "token '\(tokens[id])' appears twice (ids \(other) and \(id)); llama.cpp refuses such vocabularies too")
                    }
                    slot = (slot + 1) & mask
                }
                slots[slot] = Int32(id)
            }
        }
        self.bytes = bytes
        self.offsets = offsets
        self.slots = slots
        self.mask = mask
    }

    /// The id of the token spelled by `key`, if any.
    func id(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(key) & mask
        return bytes.withUnsafeBufferPointer { all in
            while true {
                let candidate = slots[slot]
                if candidate < 0 { return nil }
                let id = Int(candidate)
                let start = offsets[id], end = offsets[id + 1]
                if end - start == key.count, memoryEqual(all, start, key) { return candidate }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The id of the token spelled by `key`, if any.
    func id(_ key: ArraySlice<UInt8>) -> Int32? {
        key.withUnsafeBufferPointer { id($0) }
    }

    /// The id of the token `text`, if any.
    func id(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { id($0) }
    }

    private func memoryEqual(_ all: UnsafeBufferPointer<UInt8>, _ start: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < key.count {
            if all[start + index] != key[index] { return false }
            index += 1
        }
        return true
    }

    /// FNV-1a over the bytes, then a final mix so the low bits used for the slot are spread.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }
}
