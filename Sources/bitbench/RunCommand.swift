import ArgumentParser
import Engine
import Foundation

/// `bitbench run`: generate text from a prompt, or chat (`-cnv`), like llama.cpp's llama-cli.
/// Text streams to stdout; the timing summary goes to stderr.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Generate text with a model (llama-cli style); -cnv chats interactively."
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var modelOptions: ModelRunOptions

    @Option(name: .shortAndLong, help: "The prompt.")
    var prompt: String?

    @Option(name: [.customShort("n"), .customLong("n-predict")], help: "Tokens to generate at most.")
    var tokens: Int = 128

    @Option(name: .customLong("temp"), help: "Temperature; 0 is greedy.")
    var temperature: Float = 0.8

    @Option(name: .customLong("top-k"), help: "Keep the k most likely tokens (0: all).")
    var topK: Int = 40

    @Option(name: .customLong("top-p"), help: "Nucleus sampling threshold (1: off).")
    var topP: Float = 0.95

    @Option(name: .customLong("min-p"), help: "Drop tokens below min-p times the best one (0: off).")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), help: "Penalty for recently seen tokens (1: off).")
    var repeatPenalty: Float = 1.0

    @Option(name: .customLong("repeat-last-n"), help: "Tokens the repeat penalty looks back over (-1: all).")
    var repeatLastN: Int = 64

    @Option(name: .long, help: "Random seed (default: a random one, printed to stderr).")
    var seed: UInt64?

    @Flag(name: .long, help: "Apply the model's chat template to -p as one user turn and print the reply.")
    var chat = false

    @Flag(name: [.customLong("cnv", withSingleDash: true), .customLong("conversation")],
          help: "Interactive chat: read user turns from stdin, one per line, until end of input.")
    var conversation = false

    @Flag(name: .customLong("ignore-eos"), help: "Keep generating after end-of-generation tokens.")
    var ignoreEOS = false

    @Flag(name: .customLong("no-display-prompt"), help: "Do not echo the prompt before the generated text.")
    var noDisplayPrompt = false

    @Flag(name: .customLong("time-breakdown"), help: "Also print where the time went (matmul, attention, norms, ...) to stderr.")
    var timeBreakdown = false

    @Option(name: .shortAndLong, help: "Output: text (streamed) or json (one object at the end).")
    var output: Format = .text

    func validate() throws {
        guard tokens >= 0 else { throw ValidationError("-n must be 0 or more, got \(tokens)") }
        if conversation {
            guard output == .text else { throw ValidationError("-cnv is interactive and prints text; drop -o json") }
        } else {
            guard let prompt, !prompt.isEmpty else { throw ValidationError("give a prompt with -p (or chat with -cnv)") }
        }
    }

    func run() throws {
        try CommandErrorReporter.run {
            let settings = SamplerSettings(temperature: temperature, topK: topK, topP: topP, minP: minP,
                                           repeatPenalty: repeatPenalty, repeatLastN: repeatLastN,
                                           seed: seed ?? UInt64.random(in: 0...UInt64(UInt32.max)))
            try settings.validate()
            if seed == nil && !settings.isGreedy { StandardError.line("bitbench: seed \(settings.seed)") }
            let generator = try TextGenerator(source: modelOptions.tensorSource(), options: modelOptions.sessionOptions())
            var sampler = Sampler(settings: settings)
            if conversation {
                try chatLoop(generator, sampler: &sampler)
            } else {
                try generateOnce(generator, sampler: &sampler)
            }
        }
    }

    private func generateOnce(_ generator: TextGenerator, sampler: inout Sampler) throws {
        let text = prompt ?? ""
        let ids = try generator.promptIDs(text, chat: chat)
        let streaming = output == .text
        if streaming && !chat && !noDisplayPrompt { StandardOutput.write(text) }
        let completion = try generator.complete(promptIDs: ids, maxTokens: tokens, sampler: &sampler,
                                                stopAtEndOfGeneration: !ignoreEOS) { piece in
            if streaming { StandardOutput.write(piece) }
        }
        switch output {
        case .text:
            StandardOutput.write("\n")
            printTimings(generator.session, promptTokens: completion.result.promptTokenCount,
                         promptNanoseconds: completion.result.promptNanoseconds,
                         decodeRuns: completion.result.decodeRuns,
                         generationNanoseconds: completion.result.generationNanoseconds)
        case .json:
            try printJSON(generator, completion)
        }
    }

    private func chatLoop(_ generator: TextGenerator, sampler: inout Sampler) throws {
        let conversation = try Conversation(generator: generator)
        var promptTokens = 0, promptNanoseconds: UInt64 = 0, runs = 0, generationNanoseconds: UInt64 = 0
        func turn(_ text: String) throws {
            let completion = try conversation.reply(to: text, maxTokens: tokens, sampler: &sampler) { piece in
                StandardOutput.write(piece)
            }
            StandardOutput.write("\n")
            promptTokens += completion.result.promptTokenCount
            promptNanoseconds += completion.result.promptNanoseconds
            runs += completion.result.decodeRuns
            generationNanoseconds += completion.result.generationNanoseconds
        }
        if let first = prompt, !first.isEmpty {
            try turn(first)
        }
        while true {
            FileHandle.standardError.write(Data("> ".utf8))
            guard let line = readLine(strippingNewline: true) else { break }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            try turn(line)
        }
        StandardError.line("")
        printTimings(generator.session, promptTokens: promptTokens, promptNanoseconds: promptNanoseconds,
                     decodeRuns: runs, generationNanoseconds: generationNanoseconds)
    }

    /// llama.cpp-style summary on stderr: load time, prompt and generation speed.
    private func printTimings(_ session: InferenceSession, promptTokens: Int, promptNanoseconds: UInt64,
                              decodeRuns: Int, generationNanoseconds: UInt64) {
        func fixed(_ value: Double, _ width: Int) -> String {
            let text = String(format: "%.2f", value)
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        func line(_ label: String, _ nanoseconds: UInt64, _ count: Int, _ unit: String) -> String {
            let ms = Double(nanoseconds) / 1e6
            let countText = String(count)
            let head = "bitbench: \(label) = \(fixed(ms, 10)) ms / "
                + String(repeating: " ", count: max(0, 5 - countText.count)) + countText + " \(unit)"
            // No rate from nothing: zero runs or zero time has no speed to report.
            guard count > 0, nanoseconds > 0 else { return head + " (no speed: nothing was timed)" }
            let rate = Double(count) / (Double(nanoseconds) / 1e9)
            return head + " (\(fixed(ms / Double(count), 8)) ms per token, \(fixed(rate, 8)) tokens per second)"
        }
        StandardError.line("bitbench: load time        = \(fixed(Double(session.loadNanoseconds) / 1e6, 10)) ms")
        StandardError.line(line("prompt eval time", promptNanoseconds, promptTokens, "tokens"))
        StandardError.line(line("eval time       ", generationNanoseconds, decodeRuns, "runs  "))
        StandardError.line("bitbench: model \(session.weights.source.sourceLabel), \(session.config.architecture.rawValue), \(session.threads) threads, kernel path \(session.kernelPath.rawValue), context \(session.contextLength), batch \(session.batchSize)")
        if timeBreakdown {
            let parts = session.breakdown.shares.map { "\($0.0.rawValue) " + String(format: "%.1f", $0.1 * 100) + "%" }
            StandardError.line("bitbench: time breakdown: " + parts.joined(separator: ", "))
        }
    }

    private func printJSON(_ generator: TextGenerator, _ completion: Completion) throws {
        let session = generator.session
        let breakdown = session.breakdown
        var times: [String: Double] = [:]
        for (category, nanoseconds) in zip(TimeBreakdown.Category.allCases, breakdown.nanoseconds) {
            times[category.rawValue] = Double(nanoseconds) / 1e6
        }
        let report: [String: Any] = [
            "model": session.weights.source.sourceLabel,
            "prompt_ids": completion.promptIDs,
            "generated_ids": completion.generatedIDs,
            "text": completion.text,
            "load_ms": Double(session.loadNanoseconds) / 1e6,
            "prompt_ms": Double(completion.result.promptNanoseconds) / 1e6,
            "gen_ms": Double(completion.result.generationNanoseconds) / 1e6,
            "prompt_tokens_per_s": completion.result.promptTokensPerSecond ?? NSNull(),
            "gen_tokens_per_s": completion.result.generationTokensPerSecond ?? NSNull(),
            "stop_reason": completion.result.stopReason.rawValue,
            "threads": session.threads,
            "kernel_path": session.kernelPath.rawValue,
            "context": session.contextLength,
            "batch": session.batchSize,
            "time_breakdown_ms": times,
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        StandardOutput.write(String(decoding: data, as: UTF8.self) + "\n")
    }
}
