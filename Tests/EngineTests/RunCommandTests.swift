import Foundation
import Testing
import TestSupport

/// The built `bitbench` executable beside the test bundle.
enum BitbenchExecutable {
    static var path: String? {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = directory.appendingPathComponent("bitbench").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Runs bitbench with `arguments` (and `input` on stdin); returns status, stdout, stderr.
    static func run(_ arguments: [String], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let executable = try #require(path, "bitbench is built beside the tests (swift build --build-tests)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // stderr goes to a file, so a chatty child can never block on a full pipe while we read stdout.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("bitbench-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errHandle = try FileHandle(forWritingTo: errURL)
        let out = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = errHandle
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errHandle.close()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// `bitbench run` as users call it.
@Suite struct RunCommandTests {
    static func smolLM2() throws -> String {
        try #require(Fixtures.smolLM2, "SmolLM2 is installed by scripts/setup.sh").path
    }

    @Test func chatAnswersWithBerlinAndPrintsTimings() throws {
        let result = try BitbenchExecutable.run(["run", "-m", Self.smolLM2(), "-p", "What is the capital of Germany?",
                                                 "--chat", "--temp", "0", "-n", "24", "-t", "2"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Berlin"), "stdout: \(result.stdout)")
        #expect(result.stderr.contains("load time") && result.stderr.contains("prompt eval time")
                && result.stderr.contains("tokens per second"))
    }

    @Test func jsonOutputHasIdsTextAndSpeeds() throws {
        let result = try BitbenchExecutable.run(["run", "-m", Self.smolLM2(), "-p", "What is the capital of Germany?",
                                                 "--chat", "--temp", "0", "-n", "16", "-t", "2", "-o", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let promptIDs = try #require(object["prompt_ids"] as? [Int])
        let generated = try #require(object["generated_ids"] as? [Int])
        #expect(!promptIDs.isEmpty && !generated.isEmpty && generated.count <= 16)
        #expect((object["text"] as? String)?.contains("Berlin") == true)
        for key in ["load_ms", "prompt_tokens_per_s", "gen_tokens_per_s"] {
            #expect((object[key] as? Double).map { $0 > 0 } == true, "\(key)")
        }
    }

    @Test func sameSeedSameText() throws {
        let arguments = ["run", "-m", try Self.smolLM2(), "-p", "Once upon a time", "-n", "12", "-t", "2",
                         "--temp", "0.9", "--seed", "42", "-o", "json"]
        let a = try BitbenchExecutable.run(arguments), b = try BitbenchExecutable.run(arguments)
        #expect(a.status == 0 && b.status == 0)
        let ids = { (text: String) in (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["generated_ids"] as? [Int] }
        #expect(ids(a.stdout) != nil && ids(a.stdout) == ids(b.stdout))
    }

    @Test func interactiveChatReadsTurnsUntilEndOfInput() throws {
        let result = try BitbenchExecutable.run(["run", "-m", Self.smolLM2(), "-cnv", "--temp", "0", "-n", "24", "-t", "2"],
                                                input: "What is the capital of Germany?\nAnd of France?\n")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("Berlin") && result.stdout.contains("Paris"), "stdout: \(result.stdout)")
    }

    @Test func badInputsAreRefusedWithAMessage() throws {
        let model = try Self.smolLM2()
        let tooLong = try BitbenchExecutable.run(["run", "-m", model, "-p", "hi", "-c", "100000"])
        #expect(tooLong.status != 0)
        #expect(tooLong.stderr.contains("bitbench: error:") && tooLong.stderr.contains("100000") && tooLong.stderr.contains("8192"))
        let missing = try BitbenchExecutable.run(["run", "-m", "/nonexistent/model.gguf", "-p", "hi"])
        #expect(missing.status != 0 && missing.stderr.contains("/nonexistent/model.gguf"))
        let badPath = try BitbenchExecutable.run(["run", "-m", model, "-p", "hi", "--kernel-path", "neon"])
        #expect(badPath.status != 0 && badPath.stderr.contains("--kernel-path"))
        let badTemp = try BitbenchExecutable.run(["run", "-m", model, "-p", "hi", "--temp", "-1"])
        #expect(badTemp.status != 0 && badTemp.stderr.contains("--temp"))
    }
}
