/// One turn of a conversation: a role ("system", "user", "assistant") and its text.
public struct ChatMessage: Sendable, Equatable, Codable {
    /// The speaker, as the chat template names it.
    public var role: String
    /// The text of the turn.
    public var content: String

    /// A message with `role` and `content`.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }
}
