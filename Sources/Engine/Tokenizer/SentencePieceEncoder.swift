/// SentencePiece-style BPE as llama.cpp runs it for `tokenizer.ggml.model = llama`
/// (`llm_tokenizer_spm`): the text (spaces already escaped to ▁) starts as one symbol per
/// UTF-8 character; the adjacent pair whose concatenation is a token with the highest score
/// is merged, leftmost first on ties, until no pair forms a token. Symbols that are not tokens
/// are emitted as byte tokens `<0xXX>` (byte fallback).
struct SentencePieceEncoder: Sendable {
    /// The token per byte: `<0xXX>`, else the one-byte token, else the unknown token, else -1.
    let byteFallbackIDs: [Int32]

    init(vocabulary: Vocabulary, lookup: TokenLookup) {
        var ids = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            let hex = String(byte, radix: 16, uppercase: true)
            let name = "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
            if let id = lookup.id(name) {
                ids[byte] = id
            } else if byte < 0x80, let id = lookup.id([UInt8(byte)][...]) {
                ids[byte] = id
            } else if let unknown = vocabulary.unknownID {
                ids[byte] = Int32(unknown)
            }
        }
        byteFallbackIDs = ids
    }

    private struct Symbol {
        var start: Int
        var length: Int
        var previous: Int
        var next: Int
    }

    private struct Candidate: HeapOrdered {
        var score: Float
        var left: Int
        var right: Int
        var length: Int

        func comesBefore(_ other: Candidate) -> Bool {
            score != other.score ? score > other.score : left < other.left
        }
    }

    /// Appends the tokens of `bytes` (valid UTF-8) to `output`.
    func encode(_ bytes: [UInt8], lookup: TokenLookup, scores: [Float], into output: inout [Int]) {
        guard !bytes.isEmpty else { return }
        var symbols: [Symbol] = []
        var offset = 0
        while offset < bytes.count {
            let length = min(Self.utf8Length(leadByte: bytes[offset]), bytes.count - offset)
            let index = symbols.count
            symbols.append(Symbol(start: offset, length: length, previous: index - 1,
                                  next: offset + length == bytes.count ? -1 : index + 1))
            offset += length
        }
        func tokenID(start: Int, length: Int) -> Int32? {
            lookup.id(bytes[start..<(start + length)])
        }
        var heap = BinaryHeap<Candidate>(capacity: symbols.count)
        func consider(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            let length = symbols[left].length + symbols[right].length
            guard let id = tokenID(start: symbols[left].start, length: length) else { return }
            heap.push(Candidate(score: scores.isEmpty ? 0 : scores[Int(id)], left: left, right: right, length: length))
        }
        for index in 1..<symbols.count { consider(index - 1, index) }
        while let top = heap.pop() {
            // A candidate is stale once either side was merged away or grew (llama.cpp's size check).
            let leftLength = symbols[top.left].length, rightLength = symbols[top.right].length
            guard leftLength > 0, rightLength > 0, leftLength + rightLength == top.length else { continue }
            symbols[top.left].length = top.length
            symbols[top.right].length = 0
            let after = symbols[top.right].next
            symbols[top.left].next = after
            if after >= 0 { symbols[after].previous = top.left }
            consider(symbols[top.left].previous, top.left)
            consider(top.left, after)
        }
        var index = 0
        while index >= 0 {
            let symbol = symbols[index]
            if let id = tokenID(start: symbol.start, length: symbol.length) {
                output.append(Int(id))
            } else {
                for byte in bytes[symbol.start..<(symbol.start + symbol.length)] {
                    let id = byteFallbackIDs[Int(byte)]
                    if id >= 0 { output.append(Int(id)) }
                }
            }
            index = symbol.next
        }
    }

    /// Length of a UTF-8 sequence from its lead byte (llama.cpp `unicode_len_utf8`).
    static func utf8Length(leadByte: UInt8) -> Int {
        switch leadByte >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }
}
