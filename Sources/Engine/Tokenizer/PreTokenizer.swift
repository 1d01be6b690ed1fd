/// Cuts text into the words that byte-level BPE merges within, as selected by GGUF's
/// `tokenizer.ggml.pre`. Each pre-tokenizer is a list of steps applied in turn, each step
/// splitting every piece the previous one produced, the way llama.cpp's `unicode_regex_split`
/// applies the regex list of `llm_tokenizer_bpe` (src/llama-vocab.cpp, October 2024). The
/// regexes are implemented by hand over Unicode scalars, with llama.cpp's category rules.
public struct PreTokenizer: Sendable {
    /// The `tokenizer.ggml.pre` value this was built from.
    public let name: String
    let steps: [PreTokenizerStep]
    /// Whether a word that is itself a vocabulary token is emitted without merging (llama3).
    public let ignoresMerges: Bool
    /// Whether detokenized text gets llama.cpp's `clean_spaces` pass (" ?" → "?" and so on).
    public let cleansSpaces: Bool

    /// The pre-tokenizer for a `tokenizer.ggml.pre` value; a missing value means "default".
    /// Throws for names llama.cpp would also refuse or that this build does not implement.
    public init(name: String?) throws {
        let key = name ?? "default"
        guard let entry = Self.table.first(where: { $0.names.contains(key) }) else {
            let known = Self.table.flatMap(\.names).sorted().joined(separator: ", ")
            throw TokenizerError(field: "tokenizer.ggml.pre",
                                 "unknown pre-tokenizer '\(key)'; known: \(known)")
        }
        self.name = key
        self.steps = entry.steps
        self.ignoresMerges = entry.ignoresMerges
        self.cleansSpaces = entry.cleansSpaces
    }

    private struct Entry {
        var names: [String]
        var steps: [PreTokenizerStep]
        var ignoresMerges = false
        var cleansSpaces = true
    }

    // The regex lists and flags per name, from llama.cpp's llm_tokenizer_bpe constructor and
    // llm_load_vocab (src/llama-vocab.cpp, October 2024).
    private static let table: [Entry] = [
        // "[\p{P}\$\+<=>\^~\|]+", gpt2 regex, "\p{N}+", "[0-9][0-9][0-9]"
        Entry(names: ["default"],
              steps: [.classRun(.punctuationAndOperators, minimum: 1, maximum: .max), .gpt2,
                      .classRun(.number, minimum: 1, maximum: .max), .classRun(.asciiDigit, minimum: 3, maximum: 3)]),
        // the llama3 regex (custom splitter), merges ignored for whole-token words
        Entry(names: ["llama3", "llama-v3", "llama-bpe", "dbrx", "smaug-bpe"],
              steps: [.llama3(maximumDigits: 3)], ignoresMerges: true),
        // "\p{N}" then the gpt2 regex: every digit is its own word
        Entry(names: ["smollm", "starcoder", "refact", "codeshell", "exaone"],
              steps: [.classRun(.number, minimum: 1, maximum: 1), .gpt2]),
        Entry(names: ["command-r"],
              steps: [.classRun(.number, minimum: 1, maximum: 1), .gpt2], cleansSpaces: false),
        // the gpt2 regex alone
        Entry(names: ["gpt-2", "gpt2", "phi-2", "mpt", "olmo", "jais", "jina-es", "jina-de",
                      "jina-v2-es", "jina-v2-de", "jina-v2-code"],
              steps: [.gpt2]),
        // "[\p{P}\$\+<=>\^~\|`]+", gpt2 regex, "[0-9][0-9][0-9]"
        Entry(names: ["falcon"],
              steps: [.classRun(.punctuationOperatorsAndBacktick, minimum: 1, maximum: .max), .gpt2,
                      .classRun(.asciiDigit, minimum: 3, maximum: 3)]),
    ]

    /// The words of `text`, in order; concatenated they give `text` back.
    public func words(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let flags = scalars.map(CodepointFlags.of)
        return split(scalars: scalars, flags: flags).map { String(String.UnicodeScalarView(scalars[$0])) }
    }

    /// Splits `text` into words, returned as ranges of indices into `scalars`.
    func split(scalars: [Unicode.Scalar], flags: [CodepointFlags]) -> [Range<Int>] {
        var pieces: [Range<Int>] = scalars.isEmpty ? [] : [0..<scalars.count]
        for step in steps {
            var next: [Range<Int>] = []
            next.reserveCapacity(pieces.count * 2)
            for piece in pieces {
                step.split(piece, scalars: scalars, flags: flags, into: &next)
            }
            pieces = next
        }
        return pieces
    }
}
