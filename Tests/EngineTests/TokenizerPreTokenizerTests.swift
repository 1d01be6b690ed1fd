import Foundation
import TestSupport
import Testing
import Engine

/// The hand-written pre-tokenizers against the regexes they implement, run by Python's `regex`
/// module with llama.cpp's split semantics (text between matches is a word of its own, and
/// each regex of a list splits the pieces of the previous one).
@Suite struct TokenizerPreTokenizerTests {
    static let gpt2 = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"#
    static let llama3 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let punctuation = #"[\p{P}\$\+<=>\^~\|]+"#

    /// Regex lists per pre-tokenizer name (llama.cpp llm_tokenizer_bpe).
    static let regexLists: [String: [String]] = [
        "gpt2": [gpt2],
        "llama3": [llama3],
        "smollm": [#"\p{N}"#, gpt2],
        "default": [punctuation, gpt2, #"\p{N}+"#, "[0-9][0-9][0-9]"],
    ]

    static let extraTexts = [
        "I'M HERE, DON'T", "abc123456def 7890", "  \n\n  x", "a  b\t\tc \n", "\r\n\r\nend", "x\u{A0}y\u{2003}z",
        "١٢٣ and ⅷ and ²", "…—«quoted»", "tab\t\n", "'tis 'S 'Ll", "$100 + 20% = <tag> ^~|`", "naïve\u{301}",
        "", " ", "\n", "🎉🎉 🎉", "x'sy", "3.14e-10",
    ]

    static func reference(_ texts: [String], regexes: [String]) throws -> [[String]] {
        let directory = try Fixtures.temporaryDirectory("pretokenizer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("input.json")
        try JSONEncoder().encode(["texts": texts, "regexes": regexes]).write(to: input)
        let script = """
        import json, sys, regex
        job = json.load(open(sys.argv[1]))
        patterns = [regex.compile(r) for r in job["regexes"]]
        out = []
        for text in job["texts"]:
            pieces = [text] if text else []
            for pattern in patterns:
                nxt = []
                for piece in pieces:
                    last = 0
                    for m in pattern.finditer(piece):
                        if m.start() > last: nxt.append(piece[last:m.start()])
                        if m.end() > m.start(): nxt.append(m.group())
                        last = m.end()
                    if last < len(piece): nxt.append(piece[last:])
                pieces = nxt
            out.append(pieces)
        print(json.dumps(out))
        """
        let output = try Fixtures.runPython(script, arguments: [input.path])
        return try JSONDecoder().decode([[String]].self, from: Data(output.utf8))
    }

    @Test(arguments: ["gpt2", "llama3", "smollm", "default"])
    func splitsLikeTheRegexList(_ name: String) throws {
        let preTokenizer = try PreTokenizer(name: name)
        let texts = SmolLM2TokenizerCase.all.map(\.text) + Self.extraTexts
        let expected = try Self.reference(texts, regexes: Self.regexLists[name]!)
        for (text, words) in zip(texts, expected) {
            #expect(preTokenizer.words(in: text) == words, "\(name): \(text.debugDescription)")
        }
    }

    @Test func knownSplits() throws {
        #expect(try PreTokenizer(name: "llama3").words(in: "abc123456def don'T") == ["abc", "123", "456", "def", " don", "'T"])
        #expect(try PreTokenizer(name: "smollm").words(in: "in 2024!") == ["in", " ", "2", "0", "2", "4", "!"])
        #expect(try PreTokenizer(name: "gpt2").words(in: "a   b") == ["a", "  ", " b"])
    }

    @Test func unknownPreTokenizerIsRefusedWithTheKnownNames() {
        #expect(throws: TokenizerError.self) { try PreTokenizer(name: "qwen2") }
        do {
            _ = try PreTokenizer(name: "qwen2")
        } catch {
            #expect("\(error)".contains("tokenizer.ggml.pre") && "\(error)".contains("smollm"))
        }
        #expect(throws: Never.self) { try PreTokenizer(name: nil) }
    }
}
