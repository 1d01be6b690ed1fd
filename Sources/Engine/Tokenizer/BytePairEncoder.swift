/// GPT-2 byte-level BPE over token ids: a word's bytes start as one symbol each (the token of
/// the byte's mapped code point), then the adjacent pair with the lowest merge rank is merged,
/// leftmost first on ties, until no ranked pair is left (llama.cpp `llm_tokenizer_bpe_session`,
/// whose priority queue orders by rank, then by left position). Ranks are keyed on pairs of ids.
struct BytePairEncoder: Sendable {
    /// The token of each byte's mapped code point, or -1 when the vocabulary lacks it.
    let byteTokenIDs: [Int32]
    /// Merge rank and resulting token per (left id, right id), packed as left << 32 | right.
    let merges: [UInt64: Merge]

    struct Merge: Sendable {
        var rank: Int32
        var result: Int32
    }

    /// Builds the tables. Merges whose parts or result are not tokens can never apply to an id
    /// sequence, so they are left out (llama.cpp would merge their text and then fall back to bytes).
    init(vocabulary: Vocabulary, lookup: TokenLookup) throws {
        byteTokenIDs = ByteUnicodeMapping.utf8ForByte.map { lookup.id($0[...]) ?? -1 }
        var table: [UInt64: Merge] = [:]
        table.reserveCapacity(vocabulary.merges.count)
        var joined: [UInt8] = []
        for (rank, merge) in vocabulary.merges.enumerated() {
            let utf8 = Array(merge.utf8)
            // The separator is the first space after the first character (llama.cpp: find(' ', 1)).
            guard let lead = utf8.first else {
                throw TokenizerError(field: "tokenizer.ggml.merges", "merge \(rank) is empty")
            }
            let firstLength = SentencePieceEncoder.utf8Length(leadByte: lead)
            guard let separator = utf8.dropFirst(firstLength).firstIndex(of: 0x20) else {
                throw TokenizerError(field: "tokenizer.ggml.merges",
                                     "merge \(rank) '\(merge)' has no space between its two parts")
            }
            joined.removeAll(keepingCapacity: true)
            joined.append(contentsOf: utf8[..<separator])
            joined.append(contentsOf: utf8[(separator + 1)...])
            guard let leftID = lookup.id(utf8[..<separator]), let rightID = lookup.id(utf8[(separator + 1)...]),
                  let resultID = lookup.id(joined[...]) else { continue }
            let key = UInt64(UInt32(leftID)) << 32 | UInt64(UInt32(rightID))
            if table[key] == nil {
                table[key] = Merge(rank: Int32(rank), result: resultID)
            }
        }
        merges = table
    }

    private struct Symbol {
        var id: Int32
        var previous: Int32
        var next: Int32
    }

    private struct Candidate: HeapOrdered {
        var rank: Int32
        var left: Int32
        var right: Int32
        var leftID: Int32
        var rightID: Int32

        func comesBefore(_ other: Candidate) -> Bool {
            rank != other.rank ? rank < other.rank : left < other.left
        }
    }

    /// Appends the tokens of one pre-tokenized word (its UTF-8 bytes) to `output`.
    func encode(word bytes: ArraySlice<UInt8>, into output: inout [Int]) {
        var symbols: [Symbol] = []
        symbols.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            symbols.append(Symbol(id: byteTokenIDs[Int(byte)], previous: Int32(index - 1),
                                  next: index + 1 == bytes.count ? -1 : Int32(index + 1)))
        }
        if symbols.count > 1 {
            var heap = BinaryHeap<Candidate>(capacity: symbols.count)
            func consider(_ left: Int32, _ right: Int32) {
                guard left >= 0, right >= 0 else { return }
                let leftID = symbols[Int(left)].id, rightID = symbols[Int(right)].id
                guard leftID >= 0, rightID >= 0,
                      let merge = merges[UInt64(UInt32(leftID)) << 32 | UInt64(UInt32(rightID))] else { return }
                heap.push(Candidate(rank: merge.rank, left: left, right: right, leftID: leftID, rightID: rightID))
            }
            for index in 1..<symbols.count { consider(Int32(index - 1), Int32(index)) }
            while let top = heap.pop() {
                let left = Int(top.left), right = Int(top.right)
                // Skip candidates made stale by an earlier merge.
                guard symbols[left].next == top.right, symbols[left].id == top.leftID,
                      symbols[right].id == top.rightID, symbols[right].previous == top.left else { continue }
                let key = UInt64(UInt32(top.leftID)) << 32 | UInt64(UInt32(top.rightID))
                symbols[left].id = merges[key]!.result
                symbols[right].id = -2
                let after = symbols[right].next
                symbols[left].next = after
                if after >= 0 { symbols[Int(after)].previous = top.left }
                symbols[right].previous = -1
                symbols[right].next = -1
                consider(symbols[left].previous, top.left)
                consider(top.left, after)
            }
        }
        var index: Int32 = symbols.isEmpty ? -1 : 0
        while index >= 0 {
            let id = symbols[Int(index)].id
            // A byte without a token yields nothing, as llama.cpp's per-byte fallback finds nothing.
            if id >= 0 { output.append(Int(id)) }
            index = symbols[Int(index)].next
        }
    }
}
