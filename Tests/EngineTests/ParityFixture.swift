import Foundation
import TestSupport

/// One expected.<format>.json of shared/fixtures (bitnet.cpp's or ik_llama.cpp's output).
struct ParityFixture {
    let promptIDs: [Int]
    let generatedIDs: [Int]
    let lastPromptLogits: [Float]
    /// Per step, the reference's five largest [id, logit] pairs.
    let stepsTop5: [[(id: Int, logit: Float)]]

    init(_ relativePath: String) throws {
        let data = try Data(contentsOf: Fixtures.shared(relativePath))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError("\(relativePath) is not a JSON object")
        }
        func ints(_ key: String) throws -> [Int] {
            guard let v = json[key] as? [NSNumber] else { throw FixtureError("\(relativePath): \(key) missing") }
            return v.map(\.intValue)
        }
        promptIDs = try ints("prompt_ids")
        generatedIDs = try ints("generated_ids")
        guard let logits = json["last_prompt_logits"] as? [NSNumber],
              let steps = json["steps"] as? [[String: Any]] else {
            throw FixtureError("\(relativePath): last_prompt_logits or steps missing")
        }
        lastPromptLogits = logits.map(\.floatValue)
        stepsTop5 = try steps.map { step in
            guard let top = step["top5"] as? [[NSNumber]] else { throw FixtureError("\(relativePath): top5 missing") }
            return top.map { (id: $0[0].intValue, logit: $0[1].floatValue) }
        }
    }

    /// The sequence to teacher-force: the prompt, then every generated token but the last.
    var teacherForcedIDs: [Int] { promptIDs + generatedIDs.dropLast() }
}

/// A fixture file that is not what the test expects.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The bitnet-tiny F32 model, decompressed from its .xz into a cache under the temporary
/// directory (keyed by the archive's size, written to a temporary name and renamed, so parallel
/// test processes never see a partial file) and reused by later runs.
enum DecompressedF32 {
    static let path: Result<String, Error> = Result {
        let archive = Fixtures.shared("bitnet-tiny/bitnet-tiny.f32.gguf.xz")
        let size = try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as? Int ?? 0
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bitbench-fixture-cache")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("bitnet-tiny.f32.\(size).gguf")
        if FileManager.default.fileExists(atPath: output.path) { return output.path }
        let partial = directory.appendingPathComponent("partial-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: partial.path, contents: nil)
        let handle = try FileHandle(forWritingTo: partial)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xz", "-dc", archive.path]
        process.standardOutput = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: partial)
            throw FixtureError("xz -dc \(archive.path) failed with status \(process.terminationStatus)")
        }
        if rename(partial.path, output.path) != 0 { try? FileManager.default.removeItem(at: partial) }
        return output.path
    }
}
