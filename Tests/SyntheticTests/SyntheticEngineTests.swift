import Engine
import Foundation
import GGUF
import Kernels
import Synthetic
import TestSupport
import Testing

/// The engine runs synthetic models: the in-memory source gives exactly the logits of the
/// generated file, aliased layers run, and the built-in vocabulary tokenizes.
@Suite struct SyntheticEngineTests {
    static func spec(_ type: WeightFormatID, layers: Int = 4) -> SyntheticModelSpec {
        SyntheticModelSpec(shape: ModelShape(name: "tiny", hidden: 256, ffn: 768, layers: layers, heads: 4,
                                             contextLength: 128),
                           weightType: type, vocabSize: 1000, seed: 3)
    }

    static func logits(_ source: TensorSource, prompt: String) throws -> [Float] {
        let session = try InferenceSession(source: source, options: SessionOptions(threads: 2, contextLength: 64))
        let tokenizer = try Tokenizer.load(from: source.metadata)
        let ids = tokenizer.encode(prompt, addSpecial: true, parseSpecial: false)
        #expect(ids.first == 1 && ids.count > 2)
        return try session.processPrompt(ids)
    }

    @Test(arguments: [WeightFormatID.i2_s, .tl2, .tq2_0, .f16])
    func inMemoryModelGivesTheFileLogits(type: WeightFormatID) throws {
        let layout = try SyntheticModelLayout(spec: Self.spec(type))
        let dir = try TemporaryDirectory()
        let path = dir.file("m.gguf")
        try SyntheticModelWriter(layout: layout, threads: 2, showProgress: false).write(to: path)
        let fromFile = try Self.logits(try GGUFFile(path: path), prompt: "The quick brown fox")
        let fromMemory = try Self.logits(try SyntheticModelSource(layout: layout, threads: 2), prompt: "The quick brown fox")
        #expect(fromFile.count == 1000)
        #expect(fromFile == fromMemory)
        #expect(fromFile.allSatisfy { $0.isFinite })
        // Sensible scale: the tied embedding makes logits of order 1, not 0 and not huge.
        let rms = (fromFile.map { $0 * $0 }.reduce(0, +) / Float(fromFile.count)).squareRoot()
        #expect(rms > 0.1 && rms < 50)
    }

    @Test func aliasedModelRunsAndDiffersFromTheDistinctOne() throws {
        let layout = try SyntheticModelLayout(spec: Self.spec(.i2_s, layers: 6))
        let aliasing = try LayerAliasing(distinctLayers: 2, layers: 6, layerBytes: layout.layerBytes,
                                         cache: LastLevelCache(level: 3, bytes: 1024))
        let aliased = try SyntheticModelSource(layout: layout, aliasing: aliasing, threads: 2)
        let distinct = try SyntheticModelSource(layout: layout, threads: 2)
        let a = try Self.logits(aliased, prompt: "Hello")
        let b = try Self.logits(distinct, prompt: "Hello")
        #expect(a.allSatisfy { $0.isFinite } && a != b)
    }
}
