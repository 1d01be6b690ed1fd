/// An interactive chat (`-cnv`): the messages so far, with the KV cache holding every earlier
/// token, so each turn only processes what the template adds (llama.cpp's chat mode).
public final class Conversation {
    /// The generator the conversation runs on.
    public let generator: TextGenerator
    /// The chat template of the model.
    public let template: ChatTemplate
    /// The messages so far (user and assistant turns).
    public private(set) var messages: [ChatMessage] = []
    /// The text the KV cache holds: the last rendering with its generation prompt plus the reply.
    private var consumedText = ""

    /// Starts an empty conversation; the session is reset.
    public init(generator: TextGenerator) throws {
        self.generator = generator
        self.template = try generator.chatTemplate()
        generator.session.reset()
    }

    /// Adds a user turn, generates the assistant's reply (streamed to `onText`) and records it.
    public func reply(to userText: String, maxTokens: Int, sampler: inout Sampler,
                      onText: (String) -> Void = { _ in }) throws -> Completion {
        let tokenizer = generator.tokenizer
        let next = messages + [.user(userText)]
        let rendered = template.render(next, addGenerationPrompt: true)
        var ids: [Int]
        if !consumedText.isEmpty, rendered.hasPrefix(consumedText) {
            // Only the new part: the end of the last reply, the user turn, the generation prompt.
            ids = tokenizer.encode(String(rendered.dropFirst(consumedText.count)), addSpecial: false, parseSpecial: true)
        } else {
            // First turn, or the template rewrote earlier text: start over from an empty cache.
            generator.session.reset()
            ids = tokenizer.encode(rendered, addSpecial: !template.rendersBOS, parseSpecial: true)
        }
        let room = generator.session.contextLength - generator.session.position - ids.count
        guard room > 0 else {
            throw ModelError.contextFull(needed: generator.session.position + ids.count + 1,
                                         capacity: generator.session.contextLength)
        }
        let completion = try generator.complete(promptIDs: ids, maxTokens: min(maxTokens, room), sampler: &sampler,
                                                onText: onText)
        messages = next + [ChatMessage(role: "assistant", content: completion.text)]
        consumedText = rendered + completion.text
        return completion
    }
}
