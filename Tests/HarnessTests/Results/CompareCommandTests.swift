import Foundation
import Harness
import Testing

/// Runs the `bitbench` built beside the test bundle (as MeasurementTests does) and returns its
/// exit status and stdout.
private func bitbench(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let candidates = [Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL, testBinary.deletingLastPathComponent()]
        .map { $0.appendingPathComponent("bitbench") }
    let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }, "bitbench is not built beside the tests")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite("compare and report commands")
struct CompareCommandTests {
    @Test("compare exits 0 without a regression, 3 with one, 4 for a missing row under --require-all, 1 for a bad file, 64 for a bad flag")
    func exitCodes() throws {
        let dir = try ResultFixtures.directory()
        func file(_ name: String, _ records: [BenchRecord]) throws -> String {
            try ResultFixtures.write(try BenchReport.render(ResultFixtures.result(records), as: .jsonl), name, in: dir)
        }
        let pp = ResultFixtures.record(speeds: [99, 100, 101])
        let tg = ResultFixtures.record(test: BenchTest(kind: .tg, tokens: 16), speeds: [10])
        let base = try file("base.jsonl", [pp, tg])
        let same = try bitbench(["compare", base, base])
        #expect(same.status == 0)
        #expect(same.stdout.contains("Summary: 2 unchanged."))
        let slower = try file("slower.jsonl", [ResultFixtures.record(speeds: [79, 80, 81]), tg])
        let regression = try bitbench(["compare", base, slower])
        #expect(regression.status == 3)
        #expect(regression.stdout.contains("**regression**"))
        #expect(try bitbench(["compare", base, slower, "--threshold", "25%"]).status == 0)
        let partial = try file("partial.jsonl", [pp])
        #expect(try bitbench(["compare", base, partial]).status == 0)
        #expect(try bitbench(["compare", base, partial, "--require-all"]).status == 4)
        let bad = try ResultFixtures.write("{\"schema_version\": 1}\n", "bad.jsonl", in: dir)
        #expect(try bitbench(["compare", base, bad]).status == 1)
        #expect(try bitbench(["compare", base, base, "--threshold", "five"]).status == 64)
        #expect(try bitbench(["compare", base, base, "--metric", "no_such_field"]).status == 64)
    }

    @Test("report merges files and writes each format; a bad -o is refused")
    func report() throws {
        let dir = try ResultFixtures.directory()
        let a = try ResultFixtures.write(try BenchReport.render(ResultFixtures.result([ResultFixtures.record(speeds: [5])]), as: .json), "a.json", in: dir)
        let b = try ResultFixtures.write(try BenchReport.render(ResultFixtures.result([ResultFixtures.record(format: "tl2", speeds: [6])]), as: .jsonl), "b.jsonl", in: dir)
        let jsonl = try bitbench(["report", a, b, "-o", "jsonl"])
        #expect(jsonl.status == 0)
        #expect(jsonl.stdout.split(separator: "\n").count == 2)
        let svg = try bitbench(["report", a, b, "-o", "svg"])
        #expect(svg.status == 0 && svg.stdout.hasPrefix("<?xml"))
        #expect(try bitbench(["report", a, "-o", "pdf"]).status == 64)
        #expect(try bitbench(["report", dir.appendingPathComponent("missing.jsonl").path]).status == 1)
    }
}
