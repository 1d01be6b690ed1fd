import ArgumentParser
import Foundation
import Synthetic

/// `bitbench model presets [-o text|json]`: the named model shapes with parameter counts and
/// bytes per weight type.
struct ModelPresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the synthetic model presets with parameters and bytes per weight type."
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: Format = .text

    @Option(name: .long, help: "Vocabulary size used for the byte figures.")
    var vocab: Int = SyntheticVocabulary.defaultSize

    func run() throws {
        let catalog: PresetCatalog
        do {
            catalog = try PresetCatalog(vocab: vocab)
        } catch let error as SyntheticError {
            FileHandle.standardError.write(Data("bitbench: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        switch output {
        case .text:
            print(catalog.textTable(), terminator: "")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(catalog.entries))
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}
