import Engine
import Foundation
import GGUF
import Kernels
import Testing
import TestSupport

/// The same ternary weights held in F32, F16, I2_S, TL2 and TQ2_0 (quantized by our own format
/// code from one F32 master) give the same greedy tokens.
///
/// The full claim is checked on `WellConditionedModel`, whose decisions have wide margins by
/// construction: all five formats give identical greedy tokens for 16 steps on three prompts, the
/// tokens are the context-dependent ones the model was built to compute, and F32's smallest top-2
/// margin is measured against the largest logit difference any format shows, so the agreement is
/// shown to be robust rather than lucky.
///
/// bitnet-tiny's random F32 weights (converted by `ModelInMemorySource.converted`) are checked
/// too, for what holds on a chaotic model: formats that quantize activations the same way give
/// bit-identical logits (I2_S ≡ TL2, int8 per token; TQ2_0 ≡ TQ1_0, Q8_K); across activation
/// schemes its top-2 margins are tiny (bitnet-tiny's own reference shows F32 and I2_S agreeing on
/// 1 greedy token, fixtures/bitnet-tiny/cross_format.json; we see common prefixes of 0-4 of 16),
/// so only its clear teacher-forced decisions are compared.
@Suite struct ForwardCrossFormatTests {
    static let prompt = [1, 350, 898, 706, 908, 931, 284, 335, 924, 903, 283, 905, 929, 898, 936, 912, 327]

    /// Prompts for the well-conditioned model: one marker each (128..<136), fillers (136..<255)
    /// and active tokens, all ending in the same active token 42, so any difference between their
    /// continuations comes from the context.
    static let conditionedPrompts = [
        [200, 17, 150, 131, 88, 240, 5, 42],
        [7, 134, 199, 63, 171, 250, 42],
        [128, 99, 143, 12, 230, 77, 160, 31, 42],
    ]
    static let formats: [WeightFormatID] = [.f32, .f16, .i2_s, .tl2, .tq2_0]

    static func session(_ source: TensorSource) throws -> InferenceSession {
        try InferenceSession(source: source, options: SessionOptions(threads: 2, contextLength: 64, batchSize: 8))
    }

    static func greedy(_ source: TensorSource, prompt: [Int] = ForwardCrossFormatTests.prompt, steps: Int) throws -> [Int] {
        try greedy(session(source), prompt: prompt, steps: steps)
    }

    /// Greedy tokens from a fresh context of `session`.
    static func greedy(_ session: InferenceSession, prompt: [Int], steps: Int) throws -> [Int] {
        session.reset()
        return try session.generate(prompt: prompt, maxTokens: steps,
                                    next: { logits, _ in Sampler.argmax(Array(logits)) }).generatedTokens
    }

    /// Logits at the last prompt position and after each of `tokens` but the last.
    static func teacherForced(_ source: TensorSource, prompt: [Int] = ForwardCrossFormatTests.prompt, tokens: [Int]) throws -> [[Float]] {
        try teacherForced(session(source), prompt: prompt, tokens: tokens)
    }

    /// `teacherForced` from a fresh context of `session`.
    static func teacherForced(_ session: InferenceSession, prompt: [Int], tokens: [Int]) throws -> [[Float]] {
        session.reset()
        var rows: [[Float]] = []
        try session.evaluate(prompt + tokens.dropLast()) { index, logits in
            if index >= prompt.count - 1 { rows.append(Array(logits)) }
        }
        return rows
    }

    /// Largest minus second largest value.
    static func topTwoMargin(_ logits: [Float]) -> Float {
        var first = -Float.infinity, second = -Float.infinity
        for value in logits {
            if value > first { (first, second) = (value, first) } else if value > second { second = value }
        }
        return first - second
    }

    // MARK: The well-conditioned model

    @Test func everyFormatGivesTheSameGreedyTokens() throws {
        let sessions = try Dictionary(uniqueKeysWithValues: Self.formats.map { ($0, try Self.session(WellConditionedModel.copy($0))) })
        var smallestMargin = Float.infinity, largestDifference: Float = 0
        var lines: [String] = []
        for prompt in Self.conditionedPrompts {
            let reference = try Self.greedy(sessions[.f32]!, prompt: prompt, steps: 16)
            // The tokens are the ones the model was built to compute from the prompt's marker.
            #expect(reference == WellConditionedModel.expectedContinuation(of: prompt, steps: 16), "prompt \(prompt)")
            let referenceLogits = try Self.teacherForced(sessions[.f32]!, prompt: prompt, tokens: reference)
            #expect(referenceLogits.count == 16)
            smallestMargin = min(smallestMargin, referenceLogits.map(Self.topTwoMargin).min() ?? 0)
            lines.append("\(prompt) -> \(reference)")
            for format in Self.formats.dropFirst() {
                let tokens = try Self.greedy(sessions[format]!, prompt: prompt, steps: 16)
                #expect(tokens == reference, "\(format.rawValue) on \(prompt)")
                let logits = try Self.teacherForced(sessions[format]!, prompt: prompt, tokens: reference)
                var difference: Float = 0
                for (row, referenceRow) in zip(logits, referenceLogits) {
                    for (a, b) in zip(row, referenceRow) { difference = max(difference, abs(a - b)) }
                }
                largestDifference = max(largestDifference, difference)
                lines.append("  \(format.rawValue): same 16 tokens \(tokens == reference), max |logit - F32| \(difference)")
            }
        }
        print("cross-format (well-conditioned model):\n" + lines.joined(separator: "\n"))
        print("cross-format: smallest F32 top-2 margin \(smallestMargin), largest logit difference from F32 \(largestDifference), ratio \(smallestMargin / largestDifference)")
        // A format can change an argmax only where the margin is below twice its difference;
        // requiring 4x that leaves the agreement far from luck.
        #expect(smallestMargin > 8 * largestDifference)
        #expect(largestDifference > 0, "the formats should not all compute in float")
    }

    @Test func theContextDecidesTheContinuation() throws {
        let model = try Self.session(WellConditionedModel.copy(.f32))
        let continuations = try Self.conditionedPrompts.map { try Self.greedy(model, prompt: $0, steps: 16) }
        // All prompts end in the same token, yet their continuations differ from the first step:
        // the next token is no function of the last token alone.
        #expect(Set(continuations.map(\.first)).count == Self.conditionedPrompts.count, "\(continuations)")
        // Without the circuit's attention the FFN sees no marker; the continuations change.
        let ablated = try Self.session(WellConditionedModel(withoutCircuitAttention: true).source(.f32))
        for (prompt, continuation) in zip(Self.conditionedPrompts, continuations) {
            let withoutAttention = try Self.greedy(ablated, prompt: prompt, steps: 16)
            #expect(withoutAttention != continuation, "\(prompt): \(withoutAttention)")
        }
    }

    @Test func everyFormatHoldsTheSameTernaryWeights() throws {
        // Each format's copy, read back by its own dequantizer, is the F32 master exactly: the
        // scales are powers of two, so even F16 and TQ2_0's F16 block scales hold them.
        let model = WellConditionedModel.shared
        for format in Self.formats.dropFirst() + [.tq1_0] {
            let source = try WellConditionedModel.copy(format)
            let codec = WeightFormats.format(format)
            for tensor in model.tensors where tensor.isLinear {
                let rows = tensor.shape[1], columns = tensor.shape[0]
                let blob = try requireNotNil(source.tensorData(tensor.name), tensor.name)
                var values = [Float](repeating: .nan, count: rows * columns)
                try values.withUnsafeMutableBufferPointer { out in
                    try codec.dequantize(blob, rows: rows, columns: columns,
                                         parameters: WellConditionedModel.tiles.parameters(for: format, rows: rows, columns: columns),
                                         into: out)
                }
                #expect(values == tensor.values, "\(format.rawValue) \(tensor.name)")
            }
        }
    }

    @Test func sameActivationSchemeSameLogitsOnTheConditionedModel() throws {
        let prompt = Self.conditionedPrompts[0]
        let tokens = WellConditionedModel.expectedContinuation(of: prompt, steps: 16)
        #expect(try Self.teacherForced(WellConditionedModel.copy(.tl2), prompt: prompt, tokens: tokens)
                == Self.teacherForced(WellConditionedModel.copy(.i2_s), prompt: prompt, tokens: tokens))
        #expect(try Self.teacherForced(WellConditionedModel.copy(.tq1_0), prompt: prompt, tokens: tokens)
                == Self.teacherForced(WellConditionedModel.copy(.tq2_0), prompt: prompt, tokens: tokens))
    }

    // MARK: bitnet-tiny (random weights)

    @Test func sameActivationSchemeSameTokens() throws {
        let file = try GGUFFile(path: try DecompressedF32.path.get())
        let i2s = try ModelInMemorySource.converted(from: file, to: .i2_s)
        let tl2 = try ModelInMemorySource.converted(from: file, to: .tl2)
        let tokens = try Self.greedy(i2s, steps: 16)
        #expect(try Self.greedy(tl2, steps: 16) == tokens)
        #expect(try Self.teacherForced(tl2, tokens: tokens) == Self.teacherForced(i2s, tokens: tokens))
        let tq2 = try ModelInMemorySource.converted(from: file, to: .tq2_0)
        let tq1 = try ModelInMemorySource.converted(from: file, to: .tq1_0)
        let tqTokens = try Self.greedy(tq2, steps: 16)
        #expect(try Self.greedy(tq1, steps: 16) == tqTokens)
    }

    @Test func everyFormatMakesTheClearChoicesOfF32() throws {
        let file = try GGUFFile(path: try DecompressedF32.path.get())
        let reference = try Self.greedy(ModelInMemorySource.converted(from: file, to: .f32), steps: 16)
        let referenceLogits = try Self.teacherForced(ModelInMemorySource.converted(from: file, to: .f32), tokens: reference)
        var perFormat: [WeightFormatID: [[Float]]] = [:]
        var prefixes: [String] = []
        for format in [WeightFormatID.f16, .i2_s, .tl2, .tq2_0] {
            let model = try ModelInMemorySource.converted(from: file, to: format)
            perFormat[format] = try Self.teacherForced(model, tokens: reference)
            let free = try Self.greedy(model, steps: 16)
            prefixes.append("\(format.rawValue) \(zip(free, reference).prefix { $0 == $1 }.count)/16")
        }
        // A step is clear when F32's top-2 margin exceeds twice the largest difference any
        // format shows on those two logits: then every format must pick the same token.
        var clear = 0
        for (step, logits) in referenceLogits.enumerated() {
            let sorted = logits.indices.sorted { logits[$0] > logits[$1] }
            let (top, second) = (sorted[0], sorted[1])
            let spread = perFormat.values.map { max(abs($0[step][top] - logits[top]), abs($0[step][second] - logits[second])) }.max() ?? 0
            guard logits[top] - logits[second] > 2 * spread else { continue }
            clear += 1
            for (format, rows) in perFormat {
                #expect(Sampler.argmax(rows[step]) == top, "\(format.rawValue) step \(step)")
            }
        }
        #expect(clear >= 2, "too few clear steps (\(clear)) for the check to mean anything")
        print("cross-format: free-running common prefix with F32: \(prefixes.joined(separator: ", ")); \(clear)/16 clear steps checked")
    }

    @Test func quantizedCopiesMatchBitnetCppFiles() throws {
        // Our I2_S quantizer on the F32 values reproduces llama-quantize's codes and scale bit for
        // bit; only the 28 trailer bytes after the scale differ (llama-quantize leaves them
        // uninitialized, we write zeros).
        let f32 = try GGUFFile(path: try DecompressedF32.path.get())
        let theirs = try GGUFFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.i2_s.gguf").path)
        let ours = try ModelInMemorySource.converted(from: f32, to: .i2_s)
        for name in ["blk.0.attn_q.weight", "blk.1.ffn_down.weight", "blk.1.ffn_up.weight"] {
            let a = try requireNotNil(ours.tensorData(name), name), b = try requireNotNil(theirs.tensorData(name), name)
            let info = try requireNotNil(theirs.tensorInfo(name), name)
            let meaningful = info.elementCount / 4 + 4
            #expect(a.count == b.count && memcmp(a.baseAddress!, b.baseAddress!, meaningful) == 0, "\(name)")
        }
    }
}
