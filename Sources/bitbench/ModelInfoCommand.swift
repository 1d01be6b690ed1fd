import ArgumentParser
import Foundation
import GGUF

/// `bitbench model info FILE [-o text|json]`: what a GGUF file holds, after full validation.
struct ModelInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a GGUF file's architecture, hyperparameters, tensors by type, bits per weight and tokenizer."
    )

    /// The output formats of this command.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The GGUF file (v2 or v3).")
    var file: String

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: Format = .text

    func run() throws {
        let summary: GGUFModelSummary
        do {
            summary = GGUFModelSummary(try GGUFFile(path: file))
        } catch let error as GGUFError {
            FileHandle.standardError.write(Data("bitbench: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        switch output {
        case .text:
            print(summary.textReport(), terminator: "")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            // A corrupt-but-valid file may hold NaN hyperparameters; JSON has no NaN literal.
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let data = try encoder.encode(summary)
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}
