import Engine
import Foundation
import GGUF
import Kernels
import Testing
import TestSupport

/// The library API end to end: a real model answering, batch-size independence, hooks, chat.
@Suite struct GenerationTests {
    static func smolLM2() throws -> String {
        try #require(Fixtures.smolLM2, "SmolLM2 is installed by scripts/setup.sh").path
    }

    @Test func smolLM2KnowsTheCapitalOfGermany() throws {
        let generator = try TextGenerator(source: GGUFFile(path: Self.smolLM2()),
                                          options: SessionOptions(threads: 2, contextLength: 512))
        var sampler = Sampler(settings: .greedy)
        let ids = try generator.promptIDs("What is the capital of Germany?", chat: true)
        var streamed = ""
        let completion = try generator.complete(promptIDs: ids, maxTokens: 24, sampler: &sampler) { streamed += $0 }
        #expect(completion.text.contains("Berlin"), "reply: \(completion.text)")
        #expect(streamed == completion.text)
        #expect(completion.result.stopReason == .endOfGeneration)
        // The ChatML rendering with SmolLM2's default system message.
        let rendered = generator.tokenizer.decode(ids, removeSpecial: false, unparseSpecial: true)
        #expect(rendered.hasPrefix("<|im_start|>system\nYou are a helpful AI assistant named SmolLM"))
        #expect(rendered.hasSuffix("<|im_start|>user\nWhat is the capital of Germany?<|im_end|>\n<|im_start|>assistant\n"))
    }

    @Test func conversationKeepsEarlierTurnsInTheCache() throws {
        let generator = try TextGenerator(source: GGUFFile(path: Self.smolLM2()),
                                          options: SessionOptions(threads: 2, contextLength: 512))
        let conversation = try Conversation(generator: generator)
        var sampler = Sampler(settings: .greedy)
        let first = try conversation.reply(to: "What is the capital of Germany?", maxTokens: 24, sampler: &sampler)
        let afterFirst = generator.session.position
        let second = try conversation.reply(to: "And of France?", maxTokens: 24, sampler: &sampler)
        #expect(first.text.contains("Berlin"))
        #expect(second.text.contains("Paris"), "second reply: \(second.text)")
        // The second turn processed only what the template added after the first reply.
        #expect(second.promptIDs.count < first.promptIDs.count)
        #expect(generator.session.position > afterFirst)
        #expect(conversation.messages.map(\.role) == ["user", "assistant", "user", "assistant"])
    }

    /// bitnet-tiny in each ternary format, in F32, and with its linear weights in F16 (the
    /// baseline kernels sum every output in one order whatever the batch: float_kernel_template.h).
    @Test(arguments: ["i2_s", "tl2", "tq2_0", "tq1_0", "f32", "f16"])
    func evaluationDoesNotDependOnBatchSize(_ format: String) throws {
        let fixture = try ParityFixture("bitnet-tiny/expected.\(format == "f16" ? "f32" : format).json")
        let source: TensorSource
        switch format {
        case "f32": source = try GGUFFile(path: try DecompressedF32.path.get())
        case "f16": source = try ModelInMemorySource.converted(from: GGUFFile(path: try DecompressedF32.path.get()), to: .f16)
        default: source = try GGUFFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.\(format).gguf").path)
        }
        var reference: TeacherForcingResult?
        for (batch, threads) in [(1, 1), (7, 2), (16, 1), (64, 2)] {
            let session = try InferenceSession(source: source,
                                               options: SessionOptions(threads: threads, contextLength: 128, batchSize: batch))
            let result = try session.teacherForce(fixture.teacherForcedIDs, top: 5)
            guard let reference else { reference = result; continue }
            #expect(result == reference, "\(format): batch \(batch), \(threads) threads differs from batch 1")
        }
    }

    /// SmolLM2 mixes Q8_0, Q4_1 and F32 weights; a short prompt keeps this quick (the kernels'
    /// portable path is checked GEMM against GEMV in KernelsTests).
    @Test func smolLM2EvaluationDoesNotDependOnBatchSize() throws {
        let file = try GGUFFile(path: Self.smolLM2())
        let ids = try TextGenerator(source: file, options: SessionOptions(threads: 1, contextLength: 32))
            .promptIDs("The capital of France is Paris, and the capital of Italy is", chat: false)
        var reference: TeacherForcingResult?
        for (batch, threads) in [(1, 1), (5, 2), (12, 1)] {
            let session = try InferenceSession(source: file, options: SessionOptions(threads: threads, contextLength: 32,
                                                                                     batchSize: batch))
            let result = try session.teacherForce(ids, top: 5)
            guard let reference else { reference = result; continue }
            #expect(result == reference, "SmolLM2: batch \(batch), \(threads) threads differs from batch 1")
        }
    }

    @Test func hooksSurroundEachPhase() throws {
        let session = try InferenceSession(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.i2_s.gguf").path,
                                           options: SessionOptions(threads: 1, contextLength: 64, batchSize: 8))
        var events: [String] = []
        session.hooks = PhaseHooks(willBegin: { events.append("begin \($0.rawValue)") },
                                   didEnd: { events.append("end \($0.rawValue) \($1)") })
        let result = try session.generate(prompt: [1, 350, 898, 706, 908, 931, 284, 335, 924, 903], maxTokens: 5,
                                          next: { logits, _ in Sampler.argmax(Array(logits)) })
        #expect(events == ["begin promptProcessing", "end promptProcessing 10", "begin generation", "end generation 5"])
        #expect(result.generatedTokens.count == 5 && result.stopReason == .maxTokens)
        #expect(session.position == 14)   // 10 prompt tokens + 4 fed back (the 5th is not run)
        let breakdown = session.breakdown
        #expect(breakdown[.matmul] > 0 && breakdown[.attention] > 0 && breakdown[.norms] > 0 && breakdown[.sampling] > 0)
    }

    @Test func runningPastTheContextIsAnError() throws {
        let session = try InferenceSession(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.i2_s.gguf").path,
                                           options: SessionOptions(contextLength: 8, batchSize: 4))
        _ = try session.processPrompt([1, 2, 3, 4, 5, 6])
        #expect(throws: ModelError.contextFull(needed: 9, capacity: 8)) { try session.processPrompt([7, 8, 9]) }
        #expect(throws: ModelError.tokenOutOfRange(token: 1000, vocabularySize: 1000)) { try session.decode(1000) }
    }
}
