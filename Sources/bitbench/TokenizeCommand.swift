import ArgumentParser
import Engine
import Foundation
import GGUF

/// `bitbench tokenize -m MODEL -p TEXT [--no-special] [--bos|--no-bos] [-o text|json]`:
/// the token ids and pieces of a text with a model's vocabulary, like llama.cpp's llama-tokenize.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids and pieces of a text with a model's tokenizer (like llama-tokenize)."
    )

    /// The output formats of this command.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .shortAndLong, help: "The GGUF model whose vocabulary to use.")
    var model: String

    @Option(name: .shortAndLong, help: "The text to tokenize.")
    var prompt: String?

    @Option(name: .long, help: "Read the text to tokenize from this file instead of -p.")
    var file: String?

    @Flag(name: .long, help: "Tokenize control-token text such as <|im_start|> as plain text.")
    var noSpecial = false

    @Flag(name: .long, inversion: .prefixedNo,
          help: "Add BOS (and EOS) as the model's metadata asks (default), force BOS (--bos), or add nothing (--no-bos).")
    var bos: Bool?

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: Format = .text

    @Flag(name: .long, help: "Print the vocabulary load time and tokenization times (first call, median of 7 more) to stderr.")
    var timing = false

    func validate() throws {
        if (prompt == nil) == (file == nil) {
            throw ValidationError("give the text with exactly one of -p TEXT or --file PATH")
        }
    }

    func run() throws {
        do {
            let text: String
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CommandFailure("cannot read --file \(file)")
                }
                guard let decoded = String(data: data, encoding: .utf8) else {
                    throw CommandFailure("--file \(file) is not valid UTF-8 text")
                }
                text = decoded
            } else {
                text = prompt ?? ""
            }
            let loadStart = ContinuousClock.now
            let tokenizer = try Tokenizer.load(from: GGUFFile(path: model).metadata)
            let loaded = ContinuousClock.now
            if tokenizer.vocabulary.model == .bytePairEncoding, tokenizer.vocabulary.preTokenizerName == nil {
                // llama.cpp warns the same way and also falls back to the default pre-tokenizer.
                FileHandle.standardError.write(Data("bitbench: warning: \(model) has no tokenizer.ggml.pre; using the 'default' BPE pre-tokenizer, as llama.cpp does\n".utf8))
            }
            var ids = tokenizer.encode(text, addSpecial: bos != false, parseSpecial: !noSpecial)
            if timing {
                // The first call also builds lazily made tables; the median of 7 more is the steady state.
                let first = Self.milliseconds(ContinuousClock.now - loaded)
                var repeats: [Double] = []
                for _ in 0..<7 {
                    let start = ContinuousClock.now
                    _ = tokenizer.encode(text, addSpecial: bos != false, parseSpecial: !noSpecial)
                    repeats.append(Self.milliseconds(ContinuousClock.now - start))
                }
                let median = repeats.sorted()[repeats.count / 2]
                let bytes = text.utf8.count
                let line = "tokenize: vocabulary load \(Self.format(Self.milliseconds(loaded - loadStart))) ms; "
                    + "\(bytes) bytes -> \(ids.count) tokens: first call \(Self.format(first)) ms, median of 7 more "
                    + "\(Self.format(median)) ms (\(Self.format(Double(bytes) / 1e3 / max(median, 1e-9))) MB/s)\n"
                FileHandle.standardError.write(Data(line.utf8))
            }
            if bos == true {
                guard let bosID = tokenizer.bosID else {
                    throw CommandFailure("--bos: the model's vocabulary has no BOS token (tokenizer.ggml.bos_token_id)")
                }
                if ids.first != bosID { ids.insert(bosID, at: 0) }
            }
            try printResult(ids: ids, tokenizer: tokenizer)
        } catch let error as GGUFError {
            try fail("\(error)")
        } catch let error as TokenizerError {
            try fail("\(model): \(error)")
        } catch let error as CommandFailure {
            try fail(error.description)
        }
    }

    private func printResult(ids: [Int], tokenizer: Tokenizer) throws {
        let pieces = ids.map(tokenizer.piece)
        switch output {
        case .text:
            var lines = ""
            for (id, piece) in zip(ids, pieces) {
                let number = String(id)
                lines += String(repeating: " ", count: max(0, 6 - number.count)) + number + " -> '" + piece + "'\n"
            }
            FileHandle.standardOutput.write(Data(lines.utf8))
        case .json:
            struct Report: Encodable {
                var model: String
                var count: Int
                var ids: [Int]
                var pieces: [String]
                var parse_special: Bool
                var add_bos: Bool
            }
            let report = Report(model: model, count: ids.count, ids: ids, pieces: pieces, parse_special: !noSpecial,
                                add_bos: tokenizer.bosID.map { ids.first == $0 } ?? false)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(report))
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.3f", value)
    }

    private func fail(_ message: String) throws -> Never {
        FileHandle.standardError.write(Data("bitbench: error: \(message)\n".utf8))
        throw ExitCode.failure
    }

    /// A failure with its message, reported as `bitbench: error: …`.
    struct CommandFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
