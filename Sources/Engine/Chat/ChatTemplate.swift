import GGUF

/// A chat format recognised from a model's Jinja chat template (`tokenizer.chat_template`) by
/// its distinctive markers, the way llama.cpp's `llm_chat_detect_template` does, and rendered
/// in Swift: the template text is never executed. The renderings reproduce what Jinja produces
/// for these templates, including a default system message written into a ChatML template
/// (SmolLM2's) and `bos_token` when the template writes it.
public struct ChatTemplate: Sendable, Equatable {
    /// The formats this build renders.
    public enum Format: String, Sendable, CaseIterable {
        /// `<|im_start|>role\ncontent<|im_end|>\n` (ChatML, as in SmolLM2 and Qwen).
        case chatML = "chatml"
        /// `<|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>` (Llama 3).
        case llama3 = "llama3"
        /// `Role: content<|eot_id|>` with `Assistant: ` to answer (BitNet b1.58 2B-4T).
        case bitnet = "bitnet"

        /// A human name for messages.
        public var displayName: String {
            switch self {
            case .chatML: return "ChatML (SmolLM2, Qwen)"
            case .llama3: return "Llama 3"
            case .bitnet: return "BitNet b1.58 2B-4T"
            }
        }
    }

    /// The detected format.
    public let format: Format
    /// A system message the template inserts when the conversation does not start with one.
    public let defaultSystemMessage: String?
    /// Whether the template writes `bos_token` before the first message.
    public let writesBOS: Bool
    /// The text written for `bos_token` (set by `detect(_:bosToken:)`; empty otherwise).
    public let bosToken: String
    /// Why the rendering departs from the file's template text, when it does.
    public let note: String?

    /// Recognises `jinjaText`; throws for a missing template or an unknown one.
    public static func detect(_ jinjaText: String?) throws -> ChatTemplate {
        try detect(jinjaText, bosToken: "")
    }

    /// Recognises `jinjaText`, with `bosToken` as the text of the template's `bos_token`
    /// (e.g. "<|begin_of_text|>"); pass the tokenizer's BOS text so the rendering carries it.
    public static func detect(_ jinjaText: String?, bosToken: String) throws -> ChatTemplate {
        guard let text = jinjaText, text.contains(where: { !$0.isWhitespace }) else { throw ChatTemplateError.missing }
        let writesBOS = text.contains("bos_token")
        if text.contains("<|im_start|>") {
            return ChatTemplate(format: .chatML, defaultSystemMessage: Self.chatMLDefaultSystemMessage(in: text),
                                writesBOS: writesBOS, bosToken: bosToken, note: nil)
        }
        if text.contains("<|start_header_id|>"), text.contains("<|end_header_id|>") {
            let note = text.contains("Cutting Knowledge Date")
                ? "Llama 3.1-style template: rendered in the Llama 3 format, without its date and tools preamble"
                : nil
            return ChatTemplate(format: .llama3, defaultSystemMessage: nil, writesBOS: writesBOS,
                                bosToken: bosToken, note: note)
        }
        if text.contains("BITNETAssistant") {
            // The placeholder that bitnet.cpp's convert-ms-to-gguf-bitnet.py writes into every
            // file ("Human: …\n\nBITNETAssistant: " followed by eos_token) is not the format the
            // model was trained on; its tokenizer_config.json template is, and llama.cpp-family
            // engines render that one for this model.
            return ChatTemplate(format: .bitnet, defaultSystemMessage: nil, writesBOS: true, bosToken: bosToken,
                                note: "the file's Human:/BITNETAssistant: placeholder template (written by bitnet.cpp's converter) "
                                    + "was replaced by the model's trained format, Role: content<|eot_id|>")
        }
        if text.contains("<|eot_id|>"), text.contains("Assistant: "), text.contains("capitalize") {
            return ChatTemplate(format: .bitnet, defaultSystemMessage: nil, writesBOS: writesBOS,
                                bosToken: bosToken, note: nil)
        }
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        throw ChatTemplateError.unknown(firstLine: firstLine.count > 120 ? String(firstLine.prefix(120)) + "…" : firstLine)
    }

    /// The prompt text for `messages`; with `addGenerationPrompt` it ends where the assistant's
    /// answer begins.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        var output = ""
        if writesBOS, !messages.isEmpty { output += bosToken }
        switch format {
        case .chatML:
            if let system = defaultSystemMessage, let first = messages.first, first.role != "system" {
                output += "<|im_start|>system\n" + system + "<|im_end|>\n"
            }
            for message in messages {
                output += "<|im_start|>" + message.role + "\n" + message.content + "<|im_end|>\n"
            }
            if addGenerationPrompt { output += "<|im_start|>assistant\n" }
        case .llama3:
            for message in messages {
                output += "<|start_header_id|>" + message.role + "<|end_header_id|>\n\n"
                    + Self.trim(message.content) + "<|eot_id|>"
            }
            if addGenerationPrompt { output += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        case .bitnet:
            for message in messages {
                output += Self.capitalize(message.role) + ": " + Self.trim(message.content) + "<|eot_id|>"
            }
            if addGenerationPrompt { output += "Assistant: " }
        }
        return output
    }

    // MARK: - Jinja's filters and literals

    /// Jinja's `trim` (Python `str.strip()`): removes leading and trailing whitespace, where
    /// whitespace is Unicode White_Space plus the separators U+001C...U+001F.
    static func trim(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// Jinja's `capitalize` (Python `str.capitalize()`): first character upper case, the rest lower.
    static func capitalize(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst().lowercased()
    }

    /// The default system message of a ChatML template that writes one when the conversation
    /// lacks it (SmolLM2: `{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\n…<|im_end|>\n' }}`).
    /// Only a plain string literal counts; text computed by template code gives nil.
    static func chatMLDefaultSystemMessage(in template: String) -> String? {
        guard template.contains("!= 'system'") || template.contains("!= \"system\"") else { return nil }
        guard let marker = template.firstRange(of: "<|im_start|>system") else { return nil }
        var rest = template[marker.upperBound...]
        if rest.hasPrefix("\\n") {
            rest = rest.dropFirst(2)
        } else if rest.hasPrefix("\n") {
            rest = rest.dropFirst()
        } else {
            return nil
        }
        guard let end = rest.firstRange(of: "<|im_end|>") else { return nil }
        return JinjaStringLiteral.unescape(rest[..<end.lowerBound])
    }
}

extension ChatTemplate {
    /// The template of a GGUF model (`tokenizer.chat_template`), with the tokenizer's BOS text
    /// for templates that write `bos_token`.
    public static func load(from metadata: GGUFMetadata, tokenizer: Tokenizer?) throws -> ChatTemplate {
        let bosText = tokenizer.flatMap { tokenizer in tokenizer.bosID.map(tokenizer.tokenText) } ?? ""
        return try detect(metadata.string("tokenizer.chat_template"), bosToken: bosText)
    }

    /// Whether the rendering already starts with the BOS text, so the prompt should be tokenized
    /// without adding BOS again (`encode(addSpecial: false, parseSpecial: true)`).
    public var rendersBOS: Bool { writesBOS && !bosToken.isEmpty }

    /// The text that appending `newMessages` to `history` adds to the prompt, for a chat that
    /// keeps its earlier tokens in the KV cache (the full rendering minus the earlier one, as
    /// llama.cpp's chat mode does). The earlier rendering ends without a generation prompt.
    public func renderAddition(history: [ChatMessage], newMessages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        let before = render(history, addGenerationPrompt: false)
        let after = render(history + newMessages, addGenerationPrompt: addGenerationPrompt)
        return after.hasPrefix(before) ? String(after.dropFirst(before.count)) : after
    }
}
