/// A vocabulary or tokenizer that cannot be used: names the metadata key and what was expected.
public struct TokenizerError: Error, CustomStringConvertible, Sendable {
    /// The GGUF key (or other field) at fault.
    public var field: String
    /// What was wrong and what was expected.
    public var message: String

    /// Creates an error for `field`.
    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    /// One line naming the field.
    public var description: String { "tokenizer: \(field): \(message)" }
}
