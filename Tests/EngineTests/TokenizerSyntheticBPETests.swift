import Testing
import Engine

/// Byte-level BPE on small hand-made vocabularies, where merge ranks, the llama3 rule that a
/// word already in the vocabulary is not merged, and user-defined tokens are all visible.
@Suite struct TokenizerSyntheticBPETests {
    /// GPT-2's byte-to-character map, rebuilt here independently for the test vocabulary.
    static let byteCharacters: [String] = {
        var printable = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var characters = [String](repeating: "", count: 256)
        for byte in printable { characters[byte] = String(UnicodeScalar(UInt8(byte))) }
        var next = 256
        for byte in 0..<256 where !printable.contains(byte) {
            characters[byte] = String(UnicodeScalar(UInt32(next))!)
            next += 1
            printable.append(byte)
        }
        return characters
    }()

    static func tokenizer(extra: [String], merges: [String], pre: String,
                          special: [(String, TokenType)] = []) throws -> Tokenizer {
        let tokens = special.map(\.0) + byteCharacters + extra
        let types = special.map(\.1) + [TokenType](repeating: .normal, count: 256 + extra.count)
        return try Tokenizer(vocabulary: Vocabulary(model: .bytePairEncoding, tokens: tokens, tokenTypes: types,
                                                    merges: merges, preTokenizerName: pre))
    }

    func texts(_ tokenizer: Tokenizer, _ text: String, parseSpecial: Bool = false) -> [String] {
        tokenizer.encode(text, addSpecial: false, parseSpecial: parseSpecial).map(tokenizer.tokenText)
    }

    @Test func lowerRankMergesFirst() throws {
        let bcFirst = try Self.tokenizer(extra: ["ab", "bc"], merges: ["b c", "a b"], pre: "gpt2")
        #expect(texts(bcFirst, "abc") == ["a", "bc"])
        let abFirst = try Self.tokenizer(extra: ["ab", "bc"], merges: ["a b", "b c"], pre: "gpt2")
        #expect(texts(abFirst, "abc") == ["ab", "c"])
        // equal pairs merge leftmost first: "aaa" -> "aa" + "a"
        let pairs = try Self.tokenizer(extra: ["aa"], merges: ["a a"], pre: "gpt2")
        #expect(texts(pairs, "aaa") == ["aa", "a"])
    }

    @Test func mergesChainAndSpacesUseTheMappedCharacter() throws {
        let tokenizer = try Self.tokenizer(extra: ["ll", "He", "Hell", "Hello", "Ġw", "Ġwo"],
                                           merges: ["l l", "H e", "He ll", "Hell o", "Ġ w", "Ġw o"], pre: "gpt2")
        #expect(texts(tokenizer, "Hello wo") == ["Hello", "Ġwo"])
        #expect(tokenizer.decode(tokenizer.encode("Hello wo", addSpecial: false, parseSpecial: false)) == "Hello wo")
    }

    @Test func llama3EmitsWholeVocabularyWordsWithoutMerging() throws {
        // "Hello" is a token but no merge chain builds it.
        let llama3 = try Self.tokenizer(extra: ["Hello"], merges: ["l l"], pre: "llama3")
        #expect(texts(llama3, "Hello") == ["Hello"])
        let gpt2 = try Self.tokenizer(extra: ["Hello", "ll"], merges: ["l l"], pre: "gpt2")
        #expect(texts(gpt2, "Hello") == ["H", "e", "ll", "o"])
        // Without metadata, llama.cpp's defaults: the llama3 family adds BOS, gpt2 does not.
        #expect(llama3.addsBOS && !gpt2.addsBOS)
    }

    @Test func userDefinedTokensAreAlwaysRecognisedControlOnlyWithSpecialParsing() throws {
        let tokenizer = try Self.tokenizer(extra: [], merges: ["a b"], pre: "gpt2",
                                           special: [("<ctl>", .control), ("<usr>", .userDefined)])
        #expect(texts(tokenizer, "x<usr>y<ctl>") == ["x", "<usr>", "y", "<", "c", "t", "l", ">"])
        #expect(texts(tokenizer, "x<usr>y<ctl>", parseSpecial: true) == ["x", "<usr>", "y", "<ctl>"])
        // user-defined tokens print their text; control tokens only when asked
        let ids = tokenizer.encode("<usr><ctl>", addSpecial: false, parseSpecial: true)
        #expect(tokenizer.decode(ids) == "<usr>")
    }

    @Test func longestSpecialTokenWins() throws {
        let tokenizer = try Self.tokenizer(extra: [], merges: ["a b"], pre: "gpt2",
                                           special: [("<|a|>", .control), ("<|a|><|b|>", .control)])
        #expect(texts(tokenizer, "<|a|><|b|><|a|>", parseSpecial: true) == ["<|a|><|b|>", "<|a|>"])
    }

    @Test func malformedMergesAreRefused() {
        #expect(throws: TokenizerError.self) {
            try Self.tokenizer(extra: [], merges: ["nospace"], pre: "gpt2")
        }
    }
}
