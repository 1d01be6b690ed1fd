import ArgumentParser
import Harness

/// `bitbench report`: merges bench results files (-o json or -o jsonl output) and re-renders
/// them as Markdown, CSV, JSON, JSONL or an SVG bar chart of tokens/s.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render bench results (merging several files): md, csv, json, jsonl or an SVG chart.",
        discussion: """
        Reads `bitbench bench -o json` documents and `-o jsonl` files (one record per line), in \
        order, checking each record's schema version and fields. -o svg draws tokens/s per \
        (model, format, threads, test) with the median absolute deviation as error bars. \
        Exit status: 0 on success, 1 for a file that cannot be read (named with its line and \
        field), 64 for invalid flags.
        """
    )

    @Argument(help: "Results files (bench -o json or -o jsonl output).")
    var files: [String] = []

    @Option(name: .shortAndLong, help: "Output: md, csv, json, jsonl or svg.")
    var output: String = "md"

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("FILE: expected at least one results file") }
        guard ResultPrinter.Format(rawValue: output) != nil else {
            throw ValidationError("-o/--output: expected md, csv, json, jsonl or svg; found '\(output)'")
        }
    }

    func run() throws {
        try CommandErrorReporter.run {
            let table = try ResultReader.read(paths: files)
            StandardOutput.write(try ResultPrinter.render(table, as: ResultPrinter.Format(rawValue: output) ?? .md))
        }
    }
}
