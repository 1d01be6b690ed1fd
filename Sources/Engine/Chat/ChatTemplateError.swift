/// A chat template that cannot be used: missing, or not one of the known formats.
public struct ChatTemplateError: Error, CustomStringConvertible, Sendable {
    /// The message, naming the GGUF key or the template's first line.
    public var description: String

    init(_ description: String) { self.description = description }

    static let missing = ChatTemplateError(
        "the model has no chat template (GGUF key tokenizer.chat_template is absent or empty)")

    static func unknown(firstLine: String) -> ChatTemplateError {
        ChatTemplateError("unknown chat template (first line: \"\(firstLine)\"); known formats: "
            + ChatTemplate.Format.allCases.map(\.displayName).joined(separator: ", ")
            + ". Templates are recognised by their markers, never executed.")
    }
}
