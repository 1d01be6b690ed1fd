import Foundation
import Testing
import TestSupport

/// `bitbench eval`: teacher forcing through the CLI, the tool behind the parity checks.
@Suite struct EvalCommandTests {
    static let model = Fixtures.shared("bitnet-tiny/bitnet-tiny.tl2.gguf").path

    static func evaluate(_ extra: [String]) throws -> [String: Any] {
        let result = try BitbenchExecutable.run(["eval", "-m", model, "-c", "128", "-t", "2", "-o", "json"] + extra)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func logitsMatchBitnetCppAndDoNotDependOnBatch() throws {
        let fixture = try ParityFixture("bitnet-tiny/expected.tl2.json")
        let ids = fixture.promptIDs.map(String.init).joined(separator: ",")
        let a = try Self.evaluate(["--ids", ids, "-b", "16", "--top", "3"])
        let b = try Self.evaluate(["--ids", ids, "-b", "1", "--top", "3"])
        let last = try #require(a["last_logits"] as? [Double])
        #expect(last.count == 1000)
        let diff = zip(last, fixture.lastPromptLogits).map { abs($0 - Double($1)) }.max() ?? .infinity
        #expect(diff <= 1e-3, "last-prompt max |Δlogit| = \(diff)")
        #expect((a["ids"] as? [Int]) == fixture.promptIDs)
        let top = try #require(a["top"] as? [[[Double]]])
        #expect(top.count == fixture.promptIDs.count && top.allSatisfy { $0.count == 3 })
        #expect(top.last?.first?.first.map(Int.init) == fixture.generatedIDs[0])
        #expect(NSDictionary(dictionary: a).isEqual(to: b), "batch 16 and batch 1 outputs differ")
    }

    @Test func promptTextIsTokenizedWithBOS() throws {
        let fixture = try ParityFixture("bitnet-tiny/expected.tl2.json")
        let object = try Self.evaluate(["-p", "The quick brown fox jumps over the lazy dog. Once upon a time", "--top", "1"])
        #expect((object["ids"] as? [Int]) == fixture.promptIDs)
    }

    @Test func textFileGivesPerplexity() throws {
        let directory = try Fixtures.temporaryDirectory("bitbench-eval")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("text.txt")
        try String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 40).write(to: file, atomically: true, encoding: .utf8)
        let object = try Self.evaluate(["--text", file.path])
        let perplexity = try #require(object["perplexity"] as? Double)
        #expect(perplexity.isFinite && perplexity >= 1)
        #expect((object["windows"] as? Int).map { $0 >= 2 } == true)   // more tokens than one 128 window
    }

    @Test func badIdsAreRefused() throws {
        let result = try BitbenchExecutable.run(["eval", "-m", Self.model, "--ids", "1,x,3", "-o", "json"])
        #expect(result.status != 0 && result.stderr.contains("'x'"))
        let outOfRange = try BitbenchExecutable.run(["eval", "-m", Self.model, "--ids", "1,5000", "-o", "json"])
        #expect(outOfRange.status != 0 && outOfRange.stderr.contains("5000"))
    }
}
