import Engine
import Foundation
import GGUF
import Testing
import TestSupport

/// The BitNet-b1.58-2B-4T graph (GQA, ReLU², sub-norms, tied head) against ik_llama.cpp's logits
/// on shared/fixtures/bitnet-b158-tiny (README: float activations, tolerance 0.02).
@Suite struct BitnetB158ParityTests {
    static let modelPath = Fixtures.shared("bitnet-b158-tiny/bitnet-b158-tiny.f16.gguf").path

    @Test func promptIDsMatchIkLlamaCpp() throws {
        let fixture = try ParityFixture("bitnet-b158-tiny/expected.f16.json")
        let tokenizer = try Tokenizer.load(from: GGUFFile(path: Self.modelPath).metadata)
        let ids = tokenizer.encode("The capital of France is Paris, and the capital of Germany is",
                                   addSpecial: true, parseSpecial: false)
        #expect(ids == fixture.promptIDs)
    }

    @Test(arguments: [(batch: 8, threads: 2), (batch: 1, threads: 1)])
    func teacherForcedLogitsWithinTolerance(_ setup: (batch: Int, threads: Int)) throws {
        let fixture = try ParityFixture("bitnet-b158-tiny/expected.f16.json")
        let session = try InferenceSession(path: Self.modelPath,
                                           options: SessionOptions(threads: setup.threads, contextLength: 256, batchSize: setup.batch))
        #expect(session.config.architecture == .bitnetB158)
        #expect(session.config.kvHeadCount == 1 && session.config.headCount == 2)
        let result = try session.teacherForce(fixture.teacherForcedIDs, top: 1)
        var logitsAt: [Int: [Float]] = [:]
        session.reset()
        let first = fixture.promptIDs.count - 1
        try session.evaluate(fixture.teacherForcedIDs) { index, logits in
            if index >= first { logitsAt[index] = Array(logits) }
        }
        let last = try #require(logitsAt[first])
        let lastDiff = zip(last, fixture.lastPromptLogits).map { abs($0 - $1) }.max() ?? .infinity
        #expect(lastDiff <= 0.02, "last-prompt max |Δlogit| = \(lastDiff)")
        var worst: Float = 0
        for (step, top5) in fixture.stepsTop5.enumerated() {
            let ours = try #require(logitsAt[first + step])
            for entry in top5 { worst = max(worst, abs(ours[entry.id] - entry.logit)) }
            #expect(result.top[first + step].first?.id == fixture.generatedIDs[step], "step \(step) argmax")
        }
        #expect(worst <= 0.02, "top-5 max |Δlogit| over \(fixture.stepsTop5.count) steps = \(worst)")
        print("bitnet-b158-tiny(batch=\(setup.batch), threads=\(setup.threads)): last-prompt max|Δ| \(lastDiff), steps top-5 worst |Δ| \(worst)")
    }
}
