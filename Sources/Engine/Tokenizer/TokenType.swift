/// The kind of a vocabulary entry, as GGUF's `tokenizer.ggml.token_type` stores it
/// (llama.cpp `llama_token_type`: 0 undefined, 1 normal, 2 unknown, 3 control,
/// 4 user-defined, 5 unused, 6 byte).
public enum TokenType: Int, Sendable, Hashable {
    case undefined = 0
    case normal = 1
    case unknown = 2
    case control = 3
    case userDefined = 4
    case unused = 5
    case byte = 6

    /// Maps a stored value; values outside the table count as `undefined`, like llama.cpp.
    public init(storedValue: Int) {
        self = TokenType(rawValue: storedValue) ?? .undefined
    }

    /// Control and unknown tokens: recognised in text only with special parsing, and not
    /// printed when decoding unless asked (llama.cpp `attr_special`).
    public var isSpecial: Bool { self == .control || self == .unknown }
}
