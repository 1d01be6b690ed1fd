import Foundation
import TestSupport
import Testing
import Engine
import GGUF

/// SmolLM2's byte-level BPE (pre-tokenizer `smollm`) against llama.cpp's ids for the 40 strings
/// of shared/fixtures/smollm2-tokenizer/expected.json.
@Suite struct TokenizerBPETests {
    @Test func fixtureHasFortyCases() {
        #expect(SmolLM2TokenizerCase.all.count == 40)
    }

    @Test(arguments: SmolLM2TokenizerCase.all)
    func idsMatchLlamaCppWithSpecialParsing(_ testCase: SmolLM2TokenizerCase) throws {
        let tokenizer = try TokenizerFixtures.smolLM2.get().tokenizer
        #expect(tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: true) == testCase.ids)
    }

    @Test(arguments: SmolLM2TokenizerCase.all)
    func idsMatchLlamaCppWithoutSpecialParsing(_ testCase: SmolLM2TokenizerCase) throws {
        let tokenizer = try TokenizerFixtures.smolLM2.get().tokenizer
        #expect(tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: false) == testCase.ids_no_special)
    }

    @Test(arguments: SmolLM2TokenizerCase.all)
    func decodeInvertsEncode(_ testCase: SmolLM2TokenizerCase) throws {
        let tokenizer = try TokenizerFixtures.smolLM2.get().tokenizer
        let plain = tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: false)
        #expect(tokenizer.decode(plain) == testCase.text)
        let special = tokenizer.encode(testCase.text, addSpecial: false, parseSpecial: true)
        #expect(tokenizer.decode(special, removeSpecial: false, unparseSpecial: true) == testCase.text)
    }

    @Test func metadataRulesAreRead() throws {
        let tokenizer = try TokenizerFixtures.smolLM2.get().tokenizer
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.bosID == 1)
        #expect(tokenizer.eosID == 2)
        #expect(!tokenizer.addsBOS)  // tokenizer.ggml.add_bos_token = false
        #expect(tokenizer.preTokenizer?.name == "smollm")
        // addSpecial adds nothing because the metadata says add_bos_token = false
        #expect(tokenizer.encode("Hello world", addSpecial: true, parseSpecial: true) == [19556, 905])
        // <|im_end|> is EOS; <|endoftext|> ends generation by name; an ordinary token does not
        #expect(tokenizer.isEndOfGeneration(2))
        #expect(tokenizer.isEndOfGeneration(0))
        #expect(!tokenizer.isEndOfGeneration(19556))
    }

    @Test func controlTokensAreHiddenUnlessAsked() throws {
        let tokenizer = try TokenizerFixtures.smolLM2.get().tokenizer
        let ids = tokenizer.encode("<|im_start|>user\nHi<|im_end|>", addSpecial: false, parseSpecial: true)
        #expect(ids.first == 1 && ids.last == 2)
        #expect(tokenizer.decode(ids) == "user\nHi")
        #expect(tokenizer.decode(ids, removeSpecial: false, unparseSpecial: true) == "<|im_start|>user\nHi<|im_end|>")
        #expect(tokenizer.piece(1) == "<|im_start|>")
        #expect(tokenizer.piece(19556) == "Hello")
    }
}

/// The tokenizer inside shared/fixtures/bitnet-b158-tiny (SmolLM2's vocabulary in a
/// `bitnet-b1.58` file) against the prompt ids ik_llama.cpp produced.
@Suite struct TokenizerBitnetB158TinyTests {
    struct Expected: Decodable {
        var prompt_ids: [Int]
        var prompt_pieces: [String]
    }

    @Test func promptIdsMatchTheReference() throws {
        let file = try GGUFFile(path: Fixtures.shared("bitnet-b158-tiny/bitnet-b158-tiny.f16.gguf").path)
        let tokenizer = try Tokenizer.load(from: file.metadata)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.shared("bitnet-b158-tiny/expected.f16.json")))
        // The README: add_special = true (the metadata adds no BOS), parse_special = false.
        let ids = tokenizer.encode("The capital of France is Paris, and the capital of Germany is", addSpecial: true, parseSpecial: false)
        #expect(ids == expected.prompt_ids)
        #expect(ids.map(tokenizer.piece) == expected.prompt_pieces)
    }
}
