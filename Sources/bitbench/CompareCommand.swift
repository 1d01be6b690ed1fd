import ArgumentParser
import Foundation
import Harness

/// `bitbench compare`: the regression gate between two bench results files.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two bench results files and fail on a regression (CI gate).",
        discussion: """
        Records are matched by model, format, threads, batch, numa and test. For each pair the \
        ratio current/baseline of the metric's median is printed (Markdown, stdout). A row is a \
        regression only when the median got worse by more than --threshold of the baseline AND \
        by more than --noise-factor x (baseline MAD + current MAD), the MAD being the metric's \
        `_mad` field (counted as 0 when absent). Higher is better, except ms_per_token, energy_* \
        and counter[*]. Records in only one file and unavailable values are listed, never dropped \
        or read as 0.
        Exit status: 0 no regression; 3 at least one regression; 4 (only with --require-all) a \
        record missing from one file or unavailable; 1 a file cannot be read; 64 invalid flags.
        """
    )

    @Argument(help: "Baseline results file (bench -o json or -o jsonl).")
    var baseline: String

    @Argument(help: "Current results file.")
    var current: String

    @Option(name: .long, help: "Smallest relative change that counts, as a percentage (5%) or a fraction (0.05).")
    var threshold: String = "5%"

    @Option(name: .long, help: "Metric field to compare (a numeric schema field, e.g. tokens_per_second, ms_per_token).")
    var metric: String = "tokens_per_second"

    @Option(name: .customLong("noise-factor"), help: "A change must also exceed this multiple of the summed MADs.")
    var noiseFactor: Double = 1

    @Flag(name: .customLong("require-all"), help: "Exit 4 when a record is missing from one file or its metric is unavailable.")
    var requireAll = false

    /// The threshold as a fraction; errors name the flag.
    func thresholdFraction() throws -> Double {
        let text = threshold.trimmingCharacters(in: .whitespaces)
        let percent = text.hasSuffix("%")
        guard let value = Double(percent ? String(text.dropLast()) : text), value.isFinite, value >= 0 else {
            throw ValidationError("--threshold: expected a percentage like 5% or a fraction like 0.05; found '\(threshold)'")
        }
        let fraction = percent ? value / 100 : value
        guard fraction < 1 else {
            throw ValidationError("--threshold: expected less than 100% (write 5% or 0.05); found '\(threshold)'")
        }
        return fraction
    }

    func validate() throws {
        _ = try thresholdFraction()
        guard noiseFactor.isFinite, noiseFactor >= 0 else {
            throw ValidationError("--noise-factor: expected a number of 0 or more; found \(noiseFactor)")
        }
    }

    func run() throws {
        var rule = ResultComparison.Rule()
        rule.metric = metric
        rule.threshold = try thresholdFraction()
        rule.noiseFactor = noiseFactor
        var comparison: ResultComparison?
        try CommandErrorReporter.run {
            let base = try ResultReader.read(paths: [baseline])
            let cur = try ResultReader.read(paths: [current])
            let known = Set((base.rows + cur.rows).flatMap(\.names))
            guard known.contains(metric) else {
                throw ValidationError("--metric: no field '\(metric)' in \(baseline) or \(current)")
            }
            comparison = try ResultComparison(baseline: base, current: cur, rule: rule)
        }
        guard let comparison else { return }
        StandardOutput.write(comparison.markdown())
        if comparison.hasRegression { throw ExitCode(3) }
        if requireAll && comparison.hasUncompared { throw ExitCode(4) }
    }
}
