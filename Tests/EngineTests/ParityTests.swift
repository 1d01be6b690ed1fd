import Engine
import Kernels
import Foundation
import GGUF
import Testing
import TestSupport

/// Teacher-forced logits of our engine on bitnet.cpp's own files, compared with bitnet.cpp's
/// (shared/fixtures/bitnet-tiny/README.md gives the tolerances used here).
@Suite struct BitnetTinyParityTests {
    struct Case: CustomStringConvertible, Sendable {
        let format: String
        let batch: Int
        let threads: Int
        var path: KernelPath? = nil
        /// README check 3/4: last-prompt logits.
        let lastPromptTolerance: Float
        /// README check 5: loose bound on the step top-5 logits after an activation rounding flip.
        let stepTolerance: Float
        var description: String {
            "bitnet-tiny(format=\(format), batch=\(batch), threads=\(threads), path=\(path?.rawValue ?? "best"))"
        }
    }

    static let cases: [Case] = [
        Case(format: "i2_s", batch: 8, threads: 2, lastPromptTolerance: 1e-3, stepTolerance: 2),
        Case(format: "i2_s", batch: 9, threads: 1, path: .portable, lastPromptTolerance: 1e-3, stepTolerance: 2),
        Case(format: "tl2", batch: 16, threads: 2, lastPromptTolerance: 1e-3, stepTolerance: 2),
        Case(format: "tq2_0", batch: 8, threads: 1, lastPromptTolerance: 1e-3, stepTolerance: 2),
        Case(format: "tq1_0", batch: 12, threads: 2, lastPromptTolerance: 1e-3, stepTolerance: 2),
        Case(format: "f32", batch: 8, threads: 2, lastPromptTolerance: 0.05, stepTolerance: 0.25),
    ]

    static func modelPath(_ format: String) throws -> String {
        if format == "f32" { return try DecompressedF32.path.get() }
        return Fixtures.shared("bitnet-tiny/bitnet-tiny.\(format).gguf").path
    }

    @Test(arguments: cases)
    func teacherForcedLogitsMatchBitnetCpp(_ c: Case) throws {
        let fixture = try ParityFixture("bitnet-tiny/expected.\(c.format).json")
        let session = try InferenceSession(path: try Self.modelPath(c.format),
                                           options: SessionOptions(threads: c.threads, contextLength: 128, batchSize: c.batch, kernelPath: c.path))
        let ids = fixture.teacherForcedIDs
        let first = fixture.promptIDs.count - 1
        var logitsAt: [Int: [Float]] = [:]
        try session.evaluate(ids) { index, logits in
            if index >= first { logitsAt[index] = Array(logits) }
        }
        let last = try #require(logitsAt[first])
        #expect(last.count == fixture.lastPromptLogits.count)
        let lastDiff = zip(last, fixture.lastPromptLogits).map { abs($0 - $1) }.max() ?? .infinity
        // TQ kernels use ggml's AVX2 float order, as bitnet.cpp's x86 build did (ternary_tq.c).
        #expect(lastDiff <= c.lastPromptTolerance, "\(c): last-prompt max |Δlogit| = \(lastDiff)")

        var worstStep: Float = 0
        var stepsWithin1e3 = 0
        var argmaxChecked = 0
        for (step, top5) in fixture.stepsTop5.enumerated() {
            let ours = try #require(logitsAt[first + step])
            let diff = top5.map { abs(ours[$0.id] - $0.logit) }.max() ?? 0
            worstStep = max(worstStep, diff)
            if diff <= 1e-3 { stepsWithin1e3 += 1 }
            #expect(diff <= c.stepTolerance, "\(c): step \(step) top-5 max |Δlogit| = \(diff)")
            let margin = top5[0].logit - top5[1].logit
            if margin > c.stepTolerance {
                argmaxChecked += 1
                #expect(Self.argmax(ours) == fixture.generatedIDs[step],
                        "\(c): step \(step) argmax \(Self.argmax(ours)) != bitnet.cpp's \(fixture.generatedIDs[step]) (margin \(margin))")
            }
        }
        print("\(c): last-prompt max|Δ| \(lastDiff); steps top-5 worst |Δ| \(worstStep), \(stepsWithin1e3)/\(fixture.stepsTop5.count) steps ≤ 1e-3; argmax checked at \(argmaxChecked) steps")
    }

    static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }
}

/// bitnet.cpp's tokenization of the fixture prompt (SentencePiece with BOS), from every file.
@Suite struct BitnetTinyPromptTests {
    @Test(arguments: ["i2_s", "tl2", "tq2_0", "tq1_0"])
    func promptIDsMatchBitnetCpp(_ format: String) throws {
        let fixture = try ParityFixture("bitnet-tiny/expected.\(format).json")
        let file = try GGUFFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.\(format).gguf").path)
        let tokenizer = try Tokenizer.load(from: file.metadata)
        let ids = tokenizer.encode("The quick brown fox jumps over the lazy dog. Once upon a time",
                                   addSpecial: true, parseSpecial: false)
        #expect(ids == fixture.promptIDs)
    }
}
