import GGUF

/// Text ⇄ token ids for a model's vocabulary: GPT-2 byte-level BPE (with the pre-tokenizer named
/// by `tokenizer.ggml.pre`) or SentencePiece-style BPE, special-token recognition, BOS/EOS rules
/// and detokenization, all following llama.cpp's behaviour (src/llama-vocab.cpp, October 2024).
/// Immutable after construction, so one instance can be shared between threads.
public final class Tokenizer: Sendable {
    /// The vocabulary and its rules (end-of-turn tokens found by name are filled in).
    public let vocabulary: Vocabulary
    /// The BPE pre-tokenizer; nil for SentencePiece vocabularies.
    public let preTokenizer: PreTokenizer?

    let lookup: TokenLookup
    private let bytePairEncoder: BytePairEncoder?
    private let sentencePieceEncoder: SentencePieceEncoder?
    private let partitioner: SpecialTokenPartitioner
    /// The bytes each token prints as when special tokens are shown.
    private let pieceBytesTable: [[UInt8]]
    private let endOfGeneration: Set<Int>

    /// Token texts that end a turn, in the order llama.cpp's text search knows them.
    static let endOfTurnTexts = ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>"]
    /// Token texts that end generation (llama.cpp's end-of-generation list).
    static let endOfGenerationTexts: Set<String> = ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
                                                    "<|endoftext|>", "<|eom_id|>", "<EOT>"]

    /// Reads the vocabulary from GGUF metadata and builds the tokenizer.
    public static func load(from metadata: GGUFMetadata) throws -> Tokenizer {
        try Tokenizer(vocabulary: Vocabulary(metadata: metadata))
    }

    /// Builds the lookup tables; throws if the vocabulary is inconsistent.
    public init(vocabulary source: Vocabulary) throws {
        var vocabulary = source
        try vocabulary.validate()
        let lookup = try TokenLookup(tokens: vocabulary.tokens)
        self.lookup = lookup

        // End-of-turn and end-of-message tokens found by their text when the file names none;
        // like llama.cpp, such a token is treated as a control token.
        if vocabulary.tokenTypes.isEmpty {
            vocabulary.tokenTypes = [TokenType](repeating: .normal, count: vocabulary.count)
        }
        if vocabulary.endOfTurnID == nil,
           let id = Self.endOfTurnTexts.lazy.compactMap({ lookup.id($0) }).first {
            vocabulary.endOfTurnID = Int(id)
            vocabulary.tokenTypes[Int(id)] = .control
        }
        if vocabulary.endOfMessageID == nil, let id = lookup.id("<|eom_id|>") {
            vocabulary.endOfMessageID = Int(id)
            vocabulary.tokenTypes[Int(id)] = .control
        }
        var generationEnds = Set([vocabulary.eosID, vocabulary.endOfTurnID, vocabulary.endOfMessageID].compactMap { $0 })
        for text in Self.endOfGenerationTexts {
            if let id = lookup.id(text) { generationEnds.insert(Int(id)) }
        }
        endOfGeneration = generationEnds

        switch vocabulary.model {
        case .bytePairEncoding:
            preTokenizer = try PreTokenizer(name: vocabulary.preTokenizerName)
            bytePairEncoder = try BytePairEncoder(vocabulary: vocabulary, lookup: lookup)
            sentencePieceEncoder = nil
        case .sentencePiece:
            preTokenizer = nil
            bytePairEncoder = nil
            sentencePieceEncoder = SentencePieceEncoder(vocabulary: vocabulary, lookup: lookup)
        }
        partitioner = SpecialTokenPartitioner(vocabulary: vocabulary)
        pieceBytesTable = (0..<vocabulary.count).map { Self.renderPiece($0, vocabulary) }
        self.vocabulary = vocabulary
    }

    // MARK: - Facts

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }
    /// The beginning-of-sequence token, if the vocabulary has one.
    public var bosID: Int? { vocabulary.bosID }
    /// The end-of-sequence token, if the vocabulary has one.
    public var eosID: Int? { vocabulary.eosID }
    /// The end-of-turn token (`<|eot_id|>`, `<|im_end|>`, …), from metadata or found by name.
    public var endOfTurnID: Int? { vocabulary.endOfTurnID }
    /// Whether `encode(addSpecial: true)` prepends BOS.
    public var addsBOS: Bool { vocabulary.addBOS && vocabulary.bosID != nil }

    /// True for tokens after which generation stops: EOS, end-of-turn, end-of-message, and the
    /// tokens llama.cpp recognises by name (`<|im_end|>`, `<|eot_id|>`, `<|endoftext|>`, …).
    public func isEndOfGeneration(_ id: Int) -> Bool { endOfGeneration.contains(id) }

    /// All end-of-generation tokens, sorted.
    public var endOfGenerationIDs: [Int] { endOfGeneration.sorted() }

    /// True for control and unknown tokens, which detokenization hides unless asked.
    public func isSpecial(_ id: Int) -> Bool {
        (0..<vocabularySize).contains(id) && vocabulary.type(of: id).isSpecial
    }

    /// The vocabulary string of token `id`, as stored in the file ("" for an invalid id).
    public func tokenText(_ id: Int) -> String {
        (0..<vocabularySize).contains(id) ? vocabulary.tokens[id] : ""
    }

    /// The bytes token `id` stands for; control and unknown tokens give their text only when
    /// `special` is true (llama.cpp `llama_token_to_piece`). Invalid ids give no bytes.
    public func pieceBytes(_ id: Int, special: Bool = true) -> [UInt8] {
        guard (0..<vocabularySize).contains(id) else { return [] }
        if !special, vocabulary.type(of: id).isSpecial { return [] }
        return pieceBytesTable[id]
    }

    /// A printable form of token `id` (special tokens shown): its text when the bytes are valid
    /// UTF-8 on their own, else with each stray byte written as `\xNN` (partial characters).
    public func piece(_ id: Int) -> String {
        Self.printable(pieceBytes(id, special: true))
    }

    // MARK: - Encoding

    /// Token ids for `text`. `addSpecial` adds BOS/EOS as the metadata asks; `parseSpecial`
    /// turns control tokens written in the text (e.g. `<|im_start|>`) into their ids.
    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int] {
        let bytes = Array(text.utf8)
        let fragments = partitioner.partition(bytes, parseSpecial: parseSpecial)
        var output: [Int] = []
        output.reserveCapacity(bytes.count / 3 + 2)
        if addSpecial, vocabulary.addBOS, let bos = vocabulary.bosID { output.append(bos) }
        switch vocabulary.model {
        case .sentencePiece:
            encodeSentencePiece(bytes, fragments, into: &output)
        case .bytePairEncoding:
            var cache: [[UInt8]: [Int]] = [:]
            for fragment in fragments {
                switch fragment {
                case .token(let id): output.append(id)
                case .text(let range): encodeBytePairText(bytes[range], cache: &cache, into: &output)
                }
            }
        }
        if addSpecial, vocabulary.addEOS, let eos = vocabulary.eosID { output.append(eos) }
        return output
    }

    private func encodeSentencePiece(_ bytes: [UInt8], _ fragments: [SpecialTokenPartitioner.Fragment],
                                     into output: inout [Int]) {
        guard let encoder = sentencePieceEncoder else { return }
        // A space goes before the first text and before text that follows a special token.
        var previousWasSpecial = true
        for fragment in fragments {
            switch fragment {
            case .token(let id):
                output.append(id)
                previousWasSpecial = true
            case .text(let range):
                var escaped: [UInt8] = []
                escaped.reserveCapacity(range.count + 3)
                if vocabulary.addSpacePrefix, previousWasSpecial { escaped.append(contentsOf: Self.escapedSpace) }
                for byte in bytes[range] {
                    if byte == 0x20 { escaped.append(contentsOf: Self.escapedSpace) } else { escaped.append(byte) }
                }
                encoder.encode(escaped, lookup: lookup, scores: vocabulary.scores, into: &output)
                previousWasSpecial = false
            }
        }
    }

    /// U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's visible space.
    static let escapedSpace: [UInt8] = [0xE2, 0x96, 0x81]

    private func encodeBytePairText(_ bytes: ArraySlice<UInt8>, cache: inout [[UInt8]: [Int]],
                                    into output: inout [Int]) {
        guard let encoder = bytePairEncoder, let preTokenizer else { return }
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        scalars.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count + 1)
        var offset = bytes.startIndex
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            scalars.append(scalar)
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        let flags = scalars.map(CodepointFlags.of)
        for word in preTokenizer.split(scalars: scalars, flags: flags) {
            let wordBytes = bytes[offsets[word.lowerBound]..<offsets[word.upperBound]]
            if wordBytes.count == 1 {
                let id = encoder.byteTokenIDs[Int(wordBytes.first!)]
                if id >= 0 { output.append(Int(id)) }
                continue
            }
            if preTokenizer.ignoresMerges, let id = lookup.id(ByteUnicodeMapping.encodeUTF8(wordBytes)[...]) {
                output.append(Int(id))
                continue
            }
            let key = Array(wordBytes)
            if let cached = cache[key] {
                output.append(contentsOf: cached)
            } else {
                var ids: [Int] = []
                encoder.encode(word: wordBytes, into: &ids)
                cache[key] = ids
                output.append(contentsOf: ids)
            }
        }
    }

    // MARK: - Decoding

    /// The text of `ids`, with control tokens hidden (llama.cpp `llama_detokenize` with
    /// remove_special and unparse_special off). Bytes that do not form UTF-8 become U+FFFD.
    public func decode(_ ids: [Int]) -> String {
        decode(ids, removeSpecial: false, unparseSpecial: false)
    }

    /// The text of `ids`. `removeSpecial` drops a leading BOS and trailing EOS that the metadata
    /// would add; `unparseSpecial` prints control tokens as their text. A SentencePiece space
    /// prefix is removed from the first token, and `clean_spaces` vocabularies get that pass.
    public func decode(_ ids: [Int], removeSpecial: Bool, unparseSpecial: Bool) -> String {
        var tokens = ids[...]
        var removeSpace = vocabulary.addSpacePrefix
        if removeSpecial, vocabulary.addBOS, let bos = vocabulary.bosID, tokens.first == bos {
            removeSpace = false
            tokens = tokens.dropFirst()
        }
        if removeSpecial, vocabulary.addEOS, let eos = vocabulary.eosID, tokens.last == eos {
            tokens = tokens.dropLast()
        }
        var bytes: [UInt8] = []
        for id in tokens {
            let piece = pieceBytes(id, special: unparseSpecial)
            if removeSpace, piece.first == 0x20 {
                bytes.append(contentsOf: piece.dropFirst())
            } else {
                bytes.append(contentsOf: piece)
            }
            removeSpace = false
        }
        if preTokenizer?.cleansSpaces == true {
            Self.cleanSpaces(&bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A streaming detokenizer for this vocabulary.
    public func makeDecoder(showSpecial: Bool = false) -> TokenDecoder {
        TokenDecoder(tokenizer: self, showSpecial: showSpecial)
    }

    // MARK: - Helpers

    private static func renderPiece(_ id: Int, _ vocabulary: Vocabulary) -> [UInt8] {
        let text = vocabulary.tokens[id]
        switch (vocabulary.model, vocabulary.type(of: id)) {
        case (_, .control), (_, .unknown), (_, .userDefined):
            return Array(text.utf8)
        case (.sentencePiece, .normal):
            var bytes: [UInt8] = []
            for scalar in text.unicodeScalars {
                if scalar == "\u{2581}" { bytes.append(0x20) } else { bytes.append(contentsOf: String(scalar).utf8) }
            }
            return bytes
        case (.sentencePiece, .byte):
            // "<0xXX>" (llama.cpp llama_token_to_byte reads the two hex digits)
            let scalars = Array(text.unicodeScalars)
            guard scalars.count == 6, let byte = UInt8(String(String.UnicodeScalarView(scalars[3..<5])), radix: 16) else {
                return []
            }
            return [byte]
        case (.bytePairEncoding, .normal):
            // Each code point stands for one byte; one outside the map is kept as its own UTF-8
            // (llama.cpp writes an "[UNK_BYTE_0x…]" marker there instead).
            var bytes: [UInt8] = []
            for scalar in text.unicodeScalars {
                if let byte = ByteUnicodeMapping.byte(for: scalar) {
                    bytes.append(byte)
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
            return bytes
        default:
            // unused, undefined, and byte tokens in a BPE vocabulary print nothing, as in llama.cpp
            return []
        }
    }

    static func printable(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var result = ""
        var index = 0
        while index < bytes.count {
            let length = SentencePieceEncoder.utf8Length(leadByte: bytes[index])
            if index + length <= bytes.count,
               let text = String(validating: bytes[index..<(index + length)], as: UTF8.self) {
                result += text
                index += length
            } else {
                result += "\\x" + String(bytes[index], radix: 16, uppercase: true).leftPadded(to: 2)
                index += 1
            }
        }
        return result
    }

    /// llama.cpp's `clean_spaces` detokenizer pass: " ?", " !", " .", " ," lose the space;
    /// a lone "'" between spaces loses both; " 's", " 'm", " 're", " 've" lose the space.
    static func cleanSpaces(_ text: inout [UInt8]) {
        let space = UInt8(ascii: " "), quote = UInt8(ascii: "'")
        // First pass: drop a space before ? ! . ,
        var kept = text.isEmpty ? 0 : 1
        for index in 1..<max(text.count, 1) {
            let byte = text[index]
            if text[index - 1] == space, byte == UInt8(ascii: "?") || byte == UInt8(ascii: "!")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") {
                kept -= 1
            }
            text[kept] = byte
            kept += 1
        }
        text.removeSubrange(kept...)
        // Second pass: " ' " becomes "'" (the following space is blanked in place, then skipped).
        let secondCount = text.count
        kept = secondCount == 0 ? 0 : 1
        var index = 1
        while index < secondCount {
            let byte = text[index]
            if byte == quote, index + 1 < secondCount, text[index - 1] == space, text[index + 1] == space {
                kept -= 1
                index += 1
                text[index] = 0
            }
            text[kept] = byte
            kept += 1
            index += 1
        }
        text.removeSubrange(kept...)
        // Third pass: contractions 's 'm 're 've attach to the previous word.
        let thirdCount = text.count
        kept = thirdCount == 0 ? 0 : 1
        for index in 1..<max(thirdCount, 1) {
            let byte = text[index]
            if text[index - 1] == space, byte == quote, index + 1 < thirdCount {
                let next = text[index + 1]
                if next == UInt8(ascii: "s") || next == UInt8(ascii: "m") {
                    kept -= 1
                } else if index + 2 < thirdCount {
                    let afterNext = text[index + 2]
                    if (next == UInt8(ascii: "r") || next == UInt8(ascii: "v")) && afterNext == UInt8(ascii: "e") {
                        kept -= 1
                    }
                }
            }
            text[kept] = byte
            kept += 1
        }
        text.removeSubrange(kept...)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
