import ArgumentParser

/// `bitbench model …`: commands that act on model files.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect and make GGUF model files.",
        subcommands: [
            // One line per subcommand; each lives in its own file under Sources/bitbench/.
            ModelInfoCommand.self,
            ModelGenerateCommand.self,
            ModelPresetsCommand.self,
        ]
    )
}
