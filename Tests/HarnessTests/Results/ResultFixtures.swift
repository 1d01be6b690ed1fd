import Engine
import Foundation
import Harness
import Measurement

/// Bench records and results files made through the bench's public API and printers.
enum ResultFixtures {
    static func record(model: String = "700M", format: String = "i2_s", threads: Int = 2, test: BenchTest = BenchTest(kind: .pp, tokens: 64),
                       speeds: [Double], vsF16: Known<Double> = .unknown("no F16 row in this run")) -> BenchRecord {
        var breakdown = TimeBreakdown()
        breakdown.add(.matmul, nanoseconds: 600)
        breakdown.add(.attention, nanoseconds: 100)
        return BenchRecord(model: model, source: "synthetic \(model) \(format) seed 1", format: format, weightBytes: 1 << 28,
                           parameters: 700_000_000, threads: threads, batch: 512, numa: "local", numaNote: "one NUMA node",
                           test: test, kernelPath: "avx2", warmups: 1, tokens: test.tokens,
                           tokensPerSecond: SampleStatistics(speeds)!, shares: PhaseShares(breakdown: breakdown, wallNanoseconds: 1000),
                           vsF16: vsF16,
                           counters: [ProbeSummary(name: "task-clock", value: .known(1.5e6), unit: "ns"),
                                      ProbeSummary(name: "cycles", value: .unknown("ENOENT: no hardware PMU"), unit: nil)],
                           energy: EnergySummary(notRequested: "energy not requested (--energy off)"),
                           loadBefore: 0.25, loadAfter: nil)
    }

    static func result(_ records: [BenchRecord]) -> BenchResult {
        BenchResult(schema: BenchSchema(counterNames: ["task-clock", "cycles"]), records: records,
                    context: BenchContext(build: "release", cpu: "Test CPU", onlineCPUs: 2, loadAtStart: 0.1, loadAtEnd: 0.2, warnings: []))
    }

    /// A fresh temporary directory for one test.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bitbench-results-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `name` in `directory` and returns the path.
    static func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The records as a JSONL results file, read back.
    static func table(_ records: [BenchRecord], name: String = "run.jsonl") throws -> ResultTable {
        let text = try BenchReport.render(result(records), as: .jsonl)
        return ResultTable(rows: try ResultReader.parse(Data(text.utf8), file: name), files: [name])
    }
}
