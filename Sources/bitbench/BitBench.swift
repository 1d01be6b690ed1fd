import ArgumentParser

/// The `bitbench` command: runs ternary LLMs on CPUs and measures them.
@main
struct BitBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bitbench",
        abstract: "Run ternary (1.58-bit) LLMs on CPUs and measure them honestly.",
        version: "0.1.0",
        subcommands: [
            // One line per command; each lives in its own file under Sources/bitbench/.
            ModelCommand.self,
            SysinfoCommand.self,
            KernelsCommand.self,
            TokenizeCommand.self,
            RunCommand.self,
            EvalCommand.self,
            MeasureCommand.self,
            BenchCommand.self,
            ReportCommand.self,
            CompareCommand.self,
        ]
    )
}
