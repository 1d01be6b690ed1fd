import Foundation
import TestSupport
import Testing
import Engine

/// The SentencePiece (`tokenizer.ggml.model = llama`) path against bitnet.cpp's prompt ids in
/// shared/fixtures/bitnet-tiny, plus byte fallback and special tokens on small vocabularies.
@Suite struct TokenizerSentencePieceTests {
    struct Expected: Decodable {
        var prompt: String
        var prompt_ids: [Int]
        var prompt_pieces: [String]
        var bos_id: Int
        var eos_id: Int
    }

    static let formats = ["f32", "i2_s", "tl2", "tq2_0", "tq1_0"]

    static func expected(_ format: String) throws -> Expected {
        let data = try Data(contentsOf: Fixtures.shared("bitnet-tiny/expected.\(format).json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    @Test(arguments: formats)
    func promptIdsMatchBitnetCpp(_ format: String) throws {
        let tokenizer = try TokenizerFixtures.bitnetTiny.get()
        let expected = try Self.expected(format)
        #expect(expected.prompt_ids.count == 35)
        let ids = tokenizer.encode(expected.prompt, addSpecial: true, parseSpecial: true)
        #expect(ids == expected.prompt_ids)
        #expect(ids.map(tokenizer.tokenText) == expected.prompt_pieces)
    }

    @Test func metadataRulesAreRead() throws {
        let tokenizer = try TokenizerFixtures.bitnetTiny.get()
        let expected = try Self.expected("i2_s")
        #expect(tokenizer.vocabularySize == 1000)
        #expect(tokenizer.bosID == expected.bos_id && tokenizer.eosID == expected.eos_id)
        #expect(tokenizer.addsBOS)
        #expect(tokenizer.isEndOfGeneration(2) && !tokenizer.isEndOfGeneration(1))
        // Without addSpecial there is no BOS, and the space prefix still applies.
        #expect(tokenizer.encode("The", addSpecial: false, parseSpecial: false) == [350])
    }

    @Test func decodeRemovesTheSpacePrefixOnlyAtTheStart() throws {
        let tokenizer = try TokenizerFixtures.bitnetTiny.get()
        let expected = try Self.expected("i2_s")
        let ids = expected.prompt_ids
        #expect(tokenizer.decode(Array(ids.dropFirst())) == expected.prompt)
        // llama.cpp spends the space removal on the first token even when it is BOS.
        #expect(tokenizer.decode(ids) == " " + expected.prompt)
    }

    @Test func unknownCharactersFallBackToBytes() throws {
        let tokenizer = try TokenizerFixtures.bitnetTiny.get()
        let text = "naïve 🎉 ok"
        let ids = tokenizer.encode(text, addSpecial: false, parseSpecial: false)
        let byteTokens = ids.filter { tokenizer.tokenText($0).hasPrefix("<0x") }
        // 🎉 is F0 9F 8E 89: four byte tokens at least
        #expect(byteTokens.count >= 4)
        #expect(tokenizer.tokenText(byteTokens[byteTokens.count - 4]) == "<0xF0>")
        #expect(tokenizer.decode(ids) == text)
    }

    @Test func specialTokensSplitTheTextAndRestartTheSpacePrefix() throws {
        let tokenizer = try TokenizerFixtures.bitnetTiny.get()
        let withSpecial = tokenizer.encode("The</s>The", addSpecial: false, parseSpecial: true)
        #expect(withSpecial == [350, 2, 350])
        let plain = tokenizer.encode("The</s>The", addSpecial: false, parseSpecial: false)
        #expect(!plain.contains(2))
        #expect(tokenizer.decode(plain) == "The</s>The")
    }

    /// A hand-made vocabulary where merge order by score is visible: "▁abc" could merge as
    /// (ab)c or a(bc); the higher-scored pair wins, ties go to the left pair, and the low-scored
    /// "▁a" merges last, only when "a" is still on its own.
    @Test func mergesFollowScoresThenPosition() throws {
        func tokenizer(abScore: Float, bcScore: Float) throws -> Tokenizer {
            var tokens = ["<unk>", "<s>", "</s>"]
            tokens += (0..<256).map { "<0x" + String($0, radix: 16, uppercase: true).leftPad2 + ">" }
            tokens += ["\u{2581}", "a", "b", "c", "ab", "bc", "\u{2581}a"]
            var types = [TokenType.unknown, .control, .control] + [TokenType](repeating: .byte, count: 256)
            types += [TokenType](repeating: .normal, count: 7)
            var scores = [Float](repeating: 0, count: tokens.count)
            scores[tokens.firstIndex(of: "ab")!] = abScore
            scores[tokens.firstIndex(of: "bc")!] = bcScore
            scores[tokens.firstIndex(of: "\u{2581}a")!] = -100
            let vocabulary = Vocabulary(model: .sentencePiece, tokens: tokens, scores: scores, tokenTypes: types)
            return try Tokenizer(vocabulary: vocabulary)
        }
        let preferAB = try tokenizer(abScore: -1, bcScore: -2)
        #expect(preferAB.encode("abc", addSpecial: false, parseSpecial: false).map(preferAB.tokenText) == ["\u{2581}", "ab", "c"])
        let preferBC = try tokenizer(abScore: -2, bcScore: -1)
        #expect(preferBC.encode("abc", addSpecial: false, parseSpecial: false).map(preferBC.tokenText) == ["\u{2581}a", "bc"])
        let tie = try tokenizer(abScore: -1, bcScore: -1)
        #expect(tie.encode("abc", addSpecial: false, parseSpecial: false).map(tie.tokenText) == ["\u{2581}", "ab", "c"])
    }

    @Test func inconsistentVocabulariesAreRefusedWithTheKey() {
        var vocabulary = Vocabulary(model: .sentencePiece, tokens: ["<unk>", "<s>", "</s>", "a"], scores: [0, 0])
        #expect(throws: TokenizerError.self) { try Tokenizer(vocabulary: vocabulary) }
        do {
            _ = try Tokenizer(vocabulary: vocabulary)
        } catch {
            #expect("\(error)".contains("tokenizer.ggml.scores"))
        }
        vocabulary.scores = []
        vocabulary.eosID = 7
        #expect(throws: TokenizerError.self) { try Tokenizer(vocabulary: vocabulary) }
        let duplicate = Vocabulary(model: .sentencePiece, tokens: ["<unk>", "<s>", "</s>", "a", "a"])
        #expect(throws: TokenizerError.self) { try Tokenizer(vocabulary: duplicate) }
        let noMerges = Vocabulary(model: .bytePairEncoding, tokens: ["a", "b"])
        #expect(throws: TokenizerError.self) { try Tokenizer(vocabulary: noMerges) }
    }
}

extension String {
    var leftPad2: String { count == 1 ? "0" + self : self }
}

/// Token lookup is byte-exact: canonically equivalent spellings are different tokens, as in
/// llama.cpp (Swift `String` equality would merge them).
@Suite struct TokenizerByteExactLookupTests {
    @Test func canonicallyEquivalentTokensStayDistinct() throws {
        let composed = "\u{E9}", decomposed = "e\u{301}"
        var tokens = ["<unk>", "<s>", "</s>"] + (0..<256).map { "<0x" + String($0, radix: 16, uppercase: true).leftPad2 + ">" }
        tokens += ["\u{2581}", composed, decomposed, "e"]
        var types = [TokenType.unknown, .control, .control] + [TokenType](repeating: .byte, count: 256)
        types += [TokenType](repeating: .normal, count: 4)
        let tokenizer = try Tokenizer(vocabulary: Vocabulary(model: .sentencePiece, tokens: tokens, tokenTypes: types))
        let composedID = tokens.firstIndex(of: composed)!
        #expect(composedID != tokens.lastIndex(of: decomposed)!)
        let a = tokenizer.encode(composed, addSpecial: false, parseSpecial: false)
        let b = tokenizer.encode(decomposed, addSpecial: false, parseSpecial: false)
        #expect(a == [259, 260])
        #expect(b == [259, 261])  // "e" + U+0301 merge into the decomposed token, not the composed one
        #expect(a != b)
        #expect(tokenizer.decode(a) == composed && tokenizer.decode(b).unicodeScalars.elementsEqual(decomposed.unicodeScalars))
    }
}
