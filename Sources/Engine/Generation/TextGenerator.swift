import GGUF

/// Text in, text out on top of an `InferenceSession`: tokenizes a prompt (plain, or as one user
/// turn through the model's chat template), samples, and streams the decoded text.
public final class TextGenerator {
    /// The loaded model.
    public let session: InferenceSession
    /// The model's tokenizer (from its GGUF vocabulary).
    public let tokenizer: Tokenizer

    /// Wraps a session and the tokenizer of the same model.
    public init(session: InferenceSession, tokenizer: Tokenizer) throws {
        guard tokenizer.vocabularySize <= session.config.vocabularySize else {
            throw ModelError.invalidOption("the tokenizer has \(tokenizer.vocabularySize) tokens but the model's embedding only \(session.config.vocabularySize) rows")
        }
        self.session = session
        self.tokenizer = tokenizer
    }

    /// Loads the model and its tokenizer from one source.
    public convenience init(source: TensorSource, options: SessionOptions) throws {
        let tokenizer = try Tokenizer.load(from: source.metadata)
        try self.init(session: InferenceSession(source: source, options: options), tokenizer: tokenizer)
    }

    /// The model's chat template (`tokenizer.chat_template`); unknown templates are refused.
    public func chatTemplate() throws -> ChatTemplate {
        try ChatTemplate.load(from: session.weights.source.metadata, tokenizer: tokenizer)
    }

    /// The ids of a prompt: plain text with BOS as the metadata asks, or (`chat`) the text as one
    /// user turn rendered by the chat template, default system message included.
    public func promptIDs(_ text: String, chat: Bool) throws -> [Int] {
        guard chat else { return tokenizer.encode(text, addSpecial: true, parseSpecial: true) }
        let template = try chatTemplate()
        let rendered = template.render([.user(text)], addGenerationPrompt: true)
        return tokenizer.encode(rendered, addSpecial: !template.rendersBOS, parseSpecial: true)
    }

    /// Generates up to `maxTokens` after `promptIDs` (from the session's current position),
    /// stopping after an end-of-generation token when `stopAtEndOfGeneration`. `onText` receives
    /// the decoded text piece by piece, never splitting a UTF-8 character.
    public func complete(promptIDs: [Int], maxTokens: Int, sampler: inout Sampler, stopAtEndOfGeneration: Bool = true,
                         onText: (String) -> Void = { _ in }) throws -> Completion {
        var decoder = tokenizer.makeDecoder()
        let tokenizer = self.tokenizer
        let result = try session.generate(
            prompt: promptIDs, maxTokens: maxTokens,
            next: { logits, history in sampler.sample(logits: logits, history: history) },
            isEndOfGeneration: { stopAtEndOfGeneration && tokenizer.isEndOfGeneration($0) },
            onToken: { token in
                let piece = decoder.feed(token)
                if !piece.isEmpty { onText(piece) }
                return true
            })
        let tail = decoder.finish()
        if !tail.isEmpty { onText(tail) }
        return Completion(promptIDs: promptIDs, generatedIDs: result.generatedTokens, text: decoder.text, result: result)
    }
}

/// One prompt's generation: the ids both ways, the text, and the timings.
public struct Completion: Sendable, Equatable {
    /// The prompt's token ids.
    public var promptIDs: [Int]
    /// The generated ids (an end-of-generation token included when it stopped there).
    public var generatedIDs: [Int]
    /// The generated text (control tokens print nothing).
    public var text: String
    /// Counts, timings and the stop reason.
    public var result: GenerationResult
}
