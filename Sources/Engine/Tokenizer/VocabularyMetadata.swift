import GGUF

extension Vocabulary {
    /// Reads the vocabulary from GGUF `tokenizer.ggml.*` keys, with llama.cpp's defaults for
    /// keys that are absent (`llm_load_vocab`). Throws naming the key that is missing or malformed.
    public init(metadata: GGUFMetadata) throws {
        guard let modelName = metadata.string("tokenizer.ggml.model") else {
            throw TokenizerError(field: "tokenizer.ggml.model", "missing; the file has no vocabulary")
        }
        guard let model = Model(rawValue: modelName) else {
            throw TokenizerError(field: "tokenizer.ggml.model",
                                 "unsupported tokenizer '\(modelName)'; supported: gpt2 (byte-level BPE), llama (SentencePiece)")
        }
        guard let tokenValue = metadata["tokenizer.ggml.tokens"] else {
            throw TokenizerError(field: "tokenizer.ggml.tokens", "missing")
        }
        guard let tokens = tokenValue.stringArray else {
            throw TokenizerError(field: "tokenizer.ggml.tokens", "expected an array of strings, found \(tokenValue.type)")
        }
        var scores: [Float] = []
        if let value = metadata["tokenizer.ggml.scores"] {
            guard let array = value.floatArray else {
                throw TokenizerError(field: "tokenizer.ggml.scores", "expected an array of numbers, found \(value.type)")
            }
            scores = array
        }
        var types: [TokenType] = []
        if let value = metadata["tokenizer.ggml.token_type"] {
            guard let array = value.intArray else {
                throw TokenizerError(field: "tokenizer.ggml.token_type", "expected an array of integers, found \(value.type)")
            }
            types = array.map(TokenType.init(storedValue:))
        }
        var merges: [String] = []
        if let value = metadata["tokenizer.ggml.merges"] {
            guard let array = value.stringArray else {
                throw TokenizerError(field: "tokenizer.ggml.merges", "expected an array of strings, found \(value.type)")
            }
            merges = array
        }
        let pre = metadata.string("tokenizer.ggml.pre")
        self.init(model: model, tokens: tokens, scores: scores, tokenTypes: types, merges: merges,
                  preTokenizerName: model == .bytePairEncoding ? pre : nil)

        func id(_ key: String) throws -> Int?? {
            guard let value = metadata[key] else { return .none }
            guard let id = value.intValue else {
                throw TokenizerError(field: key, "expected an integer token id, found \(value.type)")
            }
            return .some(id)
        }
        func flag(_ key: String) throws -> Bool? {
            guard let value = metadata[key] else { return nil }
            guard let flag = value.boolValue else {
                throw TokenizerError(field: key, "expected a bool, found \(value.type)")
            }
            return flag
        }
        if let value = try id("tokenizer.ggml.bos_token_id") { bosID = value }
        if let value = try id("tokenizer.ggml.eos_token_id") { eosID = value }
        if let value = try id("tokenizer.ggml.unknown_token_id") { unknownID = value }
        if let value = try id("tokenizer.ggml.padding_token_id") { paddingID = value }
        if let value = try id("tokenizer.ggml.eot_token_id") { endOfTurnID = value }
        if let value = try id("tokenizer.ggml.eom_token_id") { endOfMessageID = value }
        if let value = try flag("tokenizer.ggml.add_bos_token") { addBOS = value }
        if let value = try flag("tokenizer.ggml.add_eos_token") { addEOS = value }
        if let value = try flag("tokenizer.ggml.add_space_prefix") { addSpacePrefix = value }
        try validate()
    }
}
