import ArgumentParser
import Engine
import Foundation
import GGUF

/// `bitbench eval`: teacher forcing for parity checks. Prints one JSON object with the ids, the
/// top-N logits at every position and all logits after the last token; `--text FILE` reports
/// perplexity instead. Results do not depend on `-b`.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Teacher-forced logits (parity checks) or perplexity of a text file."
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
    }

    @OptionGroup var modelOptions: ModelRunOptions

    @Option(name: .long, help: "Token ids to feed, comma-separated (e.g. 1,350,898).")
    var ids: String?

    @Option(name: .shortAndLong, help: "Text to tokenize (BOS as the model's metadata asks) and feed.")
    var prompt: String?

    @Option(name: .long, help: "A text file whose perplexity to report (windows of the context length).")
    var text: String?

    @Option(name: .long, help: "How many of the largest logits to report per position.")
    var top: Int = 5

    @Option(name: .shortAndLong, help: "Output format (json).")
    var output: Format = .json

    func validate() throws {
        let given = [ids != nil, prompt != nil, text != nil].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of --ids, -p or --text") }
        guard top >= 0 else { throw ValidationError("--top must be 0 or more, got \(top)") }
    }

    func run() throws {
        try CommandErrorReporter.run {
            let source = try modelOptions.tensorSource()
            let session = try InferenceSession(source: source, options: modelOptions.sessionOptions())
            if let text {
                try perplexity(session, source: source, file: text)
                return
            }
            let tokens: [Int]
            if let ids {
                tokens = try Self.parseIDs(ids)
            } else {
                tokens = try Tokenizer.load(from: source.metadata).encode(prompt ?? "", addSpecial: true, parseSpecial: true)
            }
            guard !tokens.isEmpty else { throw ModelError.invalidOption("nothing to evaluate: no tokens") }
            let result = try session.teacherForce(tokens, top: top)
            var json = "{\"model\":" + Self.quoted(source.sourceLabel)
            json += ",\"ids\":[" + result.ids.map(String.init).joined(separator: ",") + "]"
            json += ",\"top\":[" + result.top.map { row in
                "[" + row.map { "[\($0.id),\(Self.number($0.logit))]" }.joined(separator: ",") + "]"
            }.joined(separator: ",") + "]"
            json += ",\"last_logits\":[" + result.lastLogits.map(Self.number).joined(separator: ",") + "]"
            if let perplexity = result.perplexity {
                json += ",\"perplexity\":\(perplexity),\"scored_tokens\":\(result.scoredTokens)"
            }
            json += "}\n"
            StandardOutput.write(json)
        }
    }

    private func perplexity(_ session: InferenceSession, source: TensorSource, file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ModelError.invalidOption("--text: cannot read \(file)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelError.invalidOption("--text: \(file) is not valid UTF-8")
        }
        let tokens = try Tokenizer.load(from: source.metadata).encode(text, addSpecial: true, parseSpecial: false)
        let start = Date()
        let result = try session.perplexity(tokens)
        let seconds = Date().timeIntervalSince(start)
        let report: [String: Any] = [
            "model": source.sourceLabel, "text_file": file, "tokens": tokens.count,
            "scored_tokens": result.scoredTokens, "windows": result.windows, "context": session.contextLength,
            "perplexity": result.perplexity, "seconds": seconds,
        ]
        let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        StandardOutput.write(String(decoding: json, as: UTF8.self) + "\n")
    }

    /// "1,2,3" → [1, 2, 3]; anything else is an error naming the bad entry.
    static func parseIDs(_ text: String) throws -> [Int] {
        try text.split(separator: ",", omittingEmptySubsequences: false).enumerated().map { index, field in
            let trimmed = field.trimmingCharacters(in: .whitespaces)
            guard let id = Int(trimmed), id >= 0 else {
                throw ModelError.invalidOption("--ids entry \(index) is '\(trimmed)', expected a non-negative integer")
            }
            return id
        }
    }

    /// A float as JSON: its shortest round-trip text; non-finite values become null.
    static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}
