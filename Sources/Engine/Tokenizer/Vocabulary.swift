/// A model's vocabulary as GGUF stores it under `tokenizer.ggml.*`, plus the rules for
/// special tokens. Defaults follow llama.cpp's `llm_load_vocab` (October 2024) for keys the
/// file leaves out; `Tokenizer` builds its lookup tables from this.
public struct Vocabulary: Sendable {
    /// The tokenizer algorithm named by `tokenizer.ggml.model`.
    public enum Model: String, Sendable {
        /// GPT-2 byte-level BPE with merges (`gpt2`).
        case bytePairEncoding = "gpt2"
        /// SentencePiece-style BPE over scores with byte fallback (`llama`).
        case sentencePiece = "llama"
    }

    /// The algorithm.
    public var model: Model
    /// Token strings, indexed by id (`tokenizer.ggml.tokens`).
    public var tokens: [String]
    /// Scores per token (`tokenizer.ggml.scores`); zeros when absent.
    public var scores: [Float]
    /// Types per token (`tokenizer.ggml.token_type`); `.normal` when absent.
    public var tokenTypes: [TokenType]
    /// BPE merges, "left right", highest priority first (`tokenizer.ggml.merges`).
    public var merges: [String]
    /// `tokenizer.ggml.pre`; nil means "default".
    public var preTokenizerName: String?
    /// Beginning-of-sequence token.
    public var bosID: Int?
    /// End-of-sequence token.
    public var eosID: Int?
    /// Unknown-token id.
    public var unknownID: Int?
    /// Padding token.
    public var paddingID: Int?
    /// End-of-turn token (`<|eot_id|>`, `<|im_end|>`, …).
    public var endOfTurnID: Int?
    /// End-of-message token (`<|eom_id|>`).
    public var endOfMessageID: Int?
    /// Whether `encode(addSpecial: true)` prepends BOS (`tokenizer.ggml.add_bos_token`).
    public var addBOS: Bool
    /// Whether `encode(addSpecial: true)` appends EOS (`tokenizer.ggml.add_eos_token`).
    public var addEOS: Bool
    /// Whether SentencePiece text gets a leading space (`tokenizer.ggml.add_space_prefix`).
    public var addSpacePrefix: Bool

    /// A vocabulary with llama.cpp's defaults for `model`: SentencePiece has BOS 1, EOS 2,
    /// unknown 0, adds BOS and a space prefix; BPE has BOS = EOS = 11 and adds neither, except
    /// the llama3 pre-tokenizer family, which adds BOS.
    public init(model: Model, tokens: [String], scores: [Float] = [], tokenTypes: [TokenType] = [],
                merges: [String] = [], preTokenizerName: String? = nil) {
        self.model = model
        self.tokens = tokens
        self.scores = scores
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.preTokenizerName = preTokenizerName
        switch model {
        case .sentencePiece:
            bosID = 1; eosID = 2; unknownID = 0
            addBOS = true; addEOS = false; addSpacePrefix = true
        case .bytePairEncoding:
            bosID = 11; eosID = 11; unknownID = nil
            let llama3Family: Set<String> = ["llama3", "llama-v3", "llama-bpe"]
            addBOS = llama3Family.contains(preTokenizerName ?? ""); addEOS = false; addSpacePrefix = false
        }
        paddingID = nil; endOfTurnID = nil; endOfMessageID = nil
        // A default that does not exist in a small vocabulary means "none".
        if let id = bosID, id >= tokens.count { bosID = nil }
        if let id = eosID, id >= tokens.count { eosID = nil }
        if let id = unknownID, id >= tokens.count { unknownID = nil }
    }

    /// Number of tokens.
    public var count: Int { tokens.count }

    /// Type of token `id` (`.normal` when the file stores no types).
    public func type(of id: Int) -> TokenType {
        tokenTypes.isEmpty ? .normal : tokenTypes[id]
    }

    /// Score of token `id` (0 when the file stores no scores).
    public func score(of id: Int) -> Float {
        scores.isEmpty ? 0 : scores[id]
    }

    /// Checks counts and ids; throws naming the key that is inconsistent.
    public func validate() throws {
        guard !tokens.isEmpty else {
            throw TokenizerError(field: "tokenizer.ggml.tokens", "the vocabulary is empty")
        }
        guard tokens.count <= Int(Int32.max) else {
            throw TokenizerError(field: "tokenizer.ggml.tokens", "\(tokens.count) tokens exceed the 32-bit id range")
        }
        if !scores.isEmpty, scores.count != tokens.count {
            throw TokenizerError(field: "tokenizer.ggml.scores",
                                 "has \(scores.count) entries, expected one per token (\(tokens.count))")
        }
        if !tokenTypes.isEmpty, tokenTypes.count != tokens.count {
            throw TokenizerError(field: "tokenizer.ggml.token_type",
                                 "has \(tokenTypes.count) entries, expected one per token (\(tokens.count))")
        }
        if model == .bytePairEncoding, merges.isEmpty {
            throw TokenizerError(field: "tokenizer.ggml.merges", "a gpt2 (BPE) vocabulary needs merges; none found")
        }
        let ids: [(String, Int?)] = [
            ("tokenizer.ggml.bos_token_id", bosID), ("tokenizer.ggml.eos_token_id", eosID),
            ("tokenizer.ggml.unknown_token_id", unknownID), ("tokenizer.ggml.padding_token_id", paddingID),
            ("tokenizer.ggml.eot_token_id", endOfTurnID), ("tokenizer.ggml.eom_token_id", endOfMessageID),
        ]
        for (key, id) in ids {
            if let id, !(0..<tokens.count).contains(id) {
                throw TokenizerError(field: key, "id \(id) is outside the vocabulary (0..<\(tokens.count))")
            }
        }
    }
}
