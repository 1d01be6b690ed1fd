import Foundation
import TestSupport
import Testing
import Engine

/// Chat rendering equals Jinja2's rendering of the real template text (Python jinja2 with
/// Hugging Face's settings), for one-turn and multi-turn conversations; unknown and missing
/// templates are refused.
@Suite struct ChatTemplateTests {
    static let conversations: [[ChatMessage]] = [
        [.user("What is the capital of Germany?")],
        [.system("You are terse."), .user("Hi")],
        [.user("Hello"), .assistant("Hi! How can I help?"), .user("Tell me a joke.\nA short one.")],
        [.system("  Padded system  "), .user("  spaced user\t"), .assistant(" ok "), .user("Ünïcödé 🎉 \"quotes\" and 'single'")],
        [.assistant("I start."), .user("Fine")],
        [],
    ]

    /// Renders `template` with jinja2 for every conversation, with and without the generation prompt.
    static func jinjaRender(_ template: String, bosToken: String, eosToken: String) throws -> [String] {
        struct Job: Encodable {
            var template: String
            var bos: String
            var eos: String
            var conversations: [[ChatMessage]]
        }
        let directory = try Fixtures.temporaryDirectory("chat-template")
        defer { try? FileManager.default.removeItem(at: directory) }
        let job = directory.appendingPathComponent("job.json")
        try JSONEncoder().encode(Job(template: template, bos: bosToken, eos: eosToken, conversations: conversations)).write(to: job)
        let script = """
        import json, sys
        from jinja2.sandbox import ImmutableSandboxedEnvironment
        job = json.load(open(sys.argv[1]))
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        template = env.from_string(job["template"])
        out = []
        for messages in job["conversations"]:
            for gen in (True, False):
                out.append(template.render(messages=messages, add_generation_prompt=gen,
                                           bos_token=job["bos"], eos_token=job["eos"]))
        print(json.dumps(out))
        """
        let output = try Fixtures.runPython(script, arguments: [job.path])
        return try JSONDecoder().decode([String].self, from: Data(output.utf8))
    }

    static func swiftRender(_ template: ChatTemplate) -> [String] {
        conversations.flatMap { messages in
            [true, false].map { template.render(messages, addGenerationPrompt: $0) }
        }
    }

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/Tokenizer/\(name)"), encoding: .utf8)
    }

    @Test func smolLM2RendersExactlyAsItsJinjaTemplate() throws {
        let text = try #require(try TokenizerFixtures.smolLM2.get().chatTemplate)
        let template = try ChatTemplate.detect(text)
        #expect(template.format == .chatML)
        #expect(template.defaultSystemMessage == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        #expect(template.note == nil)
        #expect(Self.swiftRender(template) == (try Self.jinjaRender(text, bosToken: "<|im_start|>", eosToken: "<|im_end|>")))
        #expect(template.render([.user("What is the capital of Germany?")], addGenerationPrompt: true) == """
            <|im_start|>system
            You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
            <|im_start|>user
            What is the capital of Germany?<|im_end|>
            <|im_start|>assistant

            """)
    }

    @Test func smolLM2PromptTokenizesWithControlTokens() throws {
        let (tokenizer, text) = try TokenizerFixtures.smolLM2.get()
        let template = try ChatTemplate.detect(text)
        let prompt = template.render([.user("Hi")], addGenerationPrompt: true)
        let ids = tokenizer.encode(prompt, addSpecial: true, parseSpecial: true)
        #expect(ids.first == 1)  // <|im_start|>, not its characters
        #expect(ids.filter { $0 == 1 }.count == 3 && ids.filter { $0 == 2 }.count == 2)
    }

    @Test func llama3RendersExactlyAsItsJinjaTemplate() throws {
        let text = try Self.fixture("llama3-instruct.jinja")
        let template = try ChatTemplate.detect(text, bosToken: "<|begin_of_text|>")
        #expect(template.format == .llama3 && template.writesBOS)
        #expect(Self.swiftRender(template) == (try Self.jinjaRender(text, bosToken: "<|begin_of_text|>", eosToken: "<|eot_id|>")))
    }

    @Test(arguments: ["bitnet-b1.58-2B-4T.jinja", "bitnet-b1.58-2B-4T-bos.jinja"])
    func bitnetRendersExactlyAsItsJinjaTemplate(_ name: String) throws {
        let text = try Self.fixture(name)
        let template = try ChatTemplate.detect(text, bosToken: "<|begin_of_text|>")
        #expect(template.format == .bitnet && template.note == nil)
        #expect(Self.swiftRender(template) == (try Self.jinjaRender(text, bosToken: "<|begin_of_text|>", eosToken: "<|end_of_text|>")))
        let withoutBOS = template.render([.user(" Hey ")], addGenerationPrompt: true)
            .replacingOccurrences(of: "<|begin_of_text|>", with: "")
        #expect(withoutBOS == "User: Hey<|eot_id|>Assistant: ")
    }

    @Test func bitnetConverterPlaceholderIsReplacedByTheTrainedFormatWithANote() throws {
        let placeholder = try Self.fixture("bitnet-gguf-placeholder.jinja")
        let template = try ChatTemplate.detect(placeholder, bosToken: "<|begin_of_text|>")
        #expect(template.format == .bitnet)
        let note = try #require(template.note)
        #expect(note.contains("BITNETAssistant"))
        let trained = try Self.fixture("bitnet-b1.58-2B-4T-bos.jinja")
        #expect(Self.swiftRender(template) == (try Self.jinjaRender(trained, bosToken: "<|begin_of_text|>", eosToken: "<|end_of_text|>")))
    }

    @Test func unknownTemplateIsRefusedNamingItsFirstLine() throws {
        let text = try Self.fixture("gemma-unknown.jinja")
        #expect(throws: ChatTemplateError.self) { try ChatTemplate.detect(text) }
        do {
            _ = try ChatTemplate.detect(text)
        } catch {
            #expect("\(error)".contains("{{ bos_token }}{% for message in messages %}"))
            #expect("\(error)".contains("unknown chat template"))
        }
        #expect(throws: ChatTemplateError.self) { try ChatTemplate.detect(nil) }
        #expect(throws: ChatTemplateError.self) { try ChatTemplate.detect("  \n ") }
    }

    @Test func chatMLWithoutALiteralDefaultHasNone() throws {
        let computed = "{% if messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\n' + default_system + '<|im_end|>\\n' }}{% endif %}"
            + "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        #expect(try ChatTemplate.detect(computed).defaultSystemMessage == nil)
        let plain = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        let template = try ChatTemplate.detect(plain)
        #expect(template.defaultSystemMessage == nil)
        #expect(template.render([.user("x")], addGenerationPrompt: false) == "<|im_start|>user\nx<|im_end|>\n")
    }

    @Test func incrementalTurnsAddOnlyTheNewText() throws {
        let text = try #require(try TokenizerFixtures.smolLM2.get().chatTemplate)
        let template = try ChatTemplate.detect(text)
        let history: [ChatMessage] = [.user("Hi"), .assistant("Hello!")]
        let addition = template.renderAddition(history: history, newMessages: [.user("Again")], addGenerationPrompt: true)
        #expect(addition == "<|im_start|>user\nAgain<|im_end|>\n<|im_start|>assistant\n")
        #expect(template.render(history, addGenerationPrompt: false) + addition
            == template.render(history + [.user("Again")], addGenerationPrompt: true))
        // the first turn carries the default system message
        #expect(template.renderAddition(history: [], newMessages: [.user("Hi")], addGenerationPrompt: false)
            .hasPrefix("<|im_start|>system\nYou are a helpful AI assistant"))
    }

    @Test func bosIsRenderedOnlyWhenTheTemplateWritesIt() throws {
        let llama3 = try ChatTemplate.detect(try Self.fixture("llama3-instruct.jinja"), bosToken: "<|begin_of_text|>")
        #expect(llama3.rendersBOS)
        #expect(llama3.render([.user("x")], addGenerationPrompt: false).hasPrefix("<|begin_of_text|><|start_header_id|>user"))
        let smolText: String = try #require(try TokenizerFixtures.smolLM2.get().chatTemplate)
        let smol = try ChatTemplate.detect(smolText, bosToken: "<|im_start|>")
        #expect(!smol.rendersBOS)
    }
}
