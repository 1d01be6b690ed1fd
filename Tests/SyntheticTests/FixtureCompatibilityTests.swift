import Foundation
import GGUF
import Kernels
import Synthetic
import TestSupport
import Testing

/// Our 125M layouts against the files bitnet.cpp itself made (shared/fixtures/bitnet-tiny: the
/// 125M widths with 2 layers and a 1000-token vocabulary): same keys and value types, same
/// tensor names, types, shapes, sizes and offsets.
@Suite struct FixtureCompatibilityTests {
    static func fixture(_ type: String) throws -> GGUFFile {
        try GGUFFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.\(type).gguf").path)
    }

    static func layout(_ type: WeightFormatID, layers: Int? = nil) throws -> SyntheticModelLayout {
        var shape = try ModelPresets.shape(named: "125M")
        if let layers { shape.layers = layers }
        return try SyntheticModelLayout(spec: SyntheticModelSpec(shape: shape, weightType: type, vocabSize: 1000))
    }

    @Test(arguments: [(WeightFormatID.i2_s, "i2_s"), (.tl2, "tl2"), (.tq1_0, "tq1_0"), (.tq2_0, "tq2_0")])
    func twoLayerLayoutHasTheFixtureTensorTable(type: WeightFormatID, file: String) throws {
        let fixture = try Self.fixture(file)
        let ours = try Self.layout(type, layers: 2)
        #expect(ours.tensorInfos == fixture.tensorInfos)
        // Same values for every fixture key but the model name; the rest of ours is bitbench.*.
        for key in fixture.metadata.keys where key != "general.name" {
            #expect(ours.metadata[key] == fixture.metadata[key], "\(key)")
        }
        #expect(ours.metadata.keys.filter { !fixture.metadata.contains($0) }.allSatisfy { $0.hasPrefix("bitbench.") })
        #expect(ours.metadata.keys.filter { !$0.hasPrefix("bitbench.") } == fixture.metadata.keys)
    }

    @Test(arguments: [(WeightFormatID.i2_s, "i2_s"), (.tl2, "tl2")])
    func presetLayoutHasTheFixtureKeysTypesAndTensorKinds(type: WeightFormatID, file: String) throws {
        let fixture = try Self.fixture(file)
        let ours = try Self.layout(type)
        #expect(ours.spec.shape.layers == 11)
        for key in fixture.metadata.keys {
            #expect(ours.metadata[key]?.type == fixture.metadata[key]?.type, "\(key)")
        }
        #expect(ours.metadata.int("bitnet.block_count") == 11)
        #expect(ours.metadata.int("general.file_type") == (type == .i2_s ? 40 : 39))
        // Every tensor of ours has the fixture's type, shape and size for its kind (layer-independent).
        let kinds = Dictionary(fixture.tensorInfos.map { (Self.kind($0.name), $0) }, uniquingKeysWith: { a, _ in a })
        for info in ours.tensorInfos {
            let reference = try #require(kinds[Self.kind(info.name)], "\(info.name)")
            #expect(info.type == reference.type && info.shape == reference.shape && info.byteCount == reference.byteCount,
                    "\(info.name)")
            #expect(info.offset % 32 == 0)
        }
        #expect(ours.tensorInfos.count == 2 + 11 * 11)
        #expect(!ours.tensorInfos.contains { $0.name == "output.weight" || $0.name.hasSuffix("_scale") })
    }

    /// "blk.7.ffn_up.weight" → "ffn_up.weight".
    static func kind(_ name: String) -> String {
        name.hasPrefix("blk.") ? name.split(separator: ".", maxSplits: 2).last.map(String.init) ?? name : name
    }

    @Test func tokenEmbeddingRuleFollowsLlamaQuantize() throws {
        // n_embd 3200 is not a multiple of 256: the tied output rule makes token_embd Q8_0 (3B dummy).
        let shape = try ModelPresets.shape(named: "3B")
        let layout = try SyntheticModelLayout(spec: SyntheticModelSpec(shape: shape, weightType: .i2_s))
        #expect(layout.tensor(named: "token_embd.weight")?.type == .q8_0)
        let tl2 = try SyntheticModelLayout(spec: SyntheticModelSpec(shape: try ModelPresets.shape(named: "3B"), weightType: .tl2))
        #expect(tl2.tensor(named: "token_embd.weight")?.type == .f16)
    }

    @Test func bitnetB158LayoutFollowsItsFixtureKeyOrder() throws {
        let fixture = try GGUFFile(path: Fixtures.shared("bitnet-b158-tiny/bitnet-b158-tiny.f16.gguf").path)
        let shape = ModelShape(name: "tiny", architecture: .bitnetB158, hidden: 128, ffn: 512, layers: 2, heads: 2,
                               kvHeads: 1, headDim: 64, contextLength: 256, ropeTheta: 500_000)
        let ours = try SyntheticModelLayout(spec: SyntheticModelSpec(shape: shape, weightType: .f16))
        let modelKeys = { (keys: [String]) in keys.filter { $0.hasPrefix("bitnet-b1.58.") || $0.hasPrefix("general.") } }
        #expect(modelKeys(ours.metadata.keys) == modelKeys(fixture.metadata.keys).filter { $0 != "general.alignment" })
        #expect(ours.tensorInfos.map(\.name) == fixture.tensorInfos.map(\.name))
        #expect(ours.tensorInfos.map(\.shape) == fixture.tensorInfos.map(\.shape).map { $0 == [128, 49152] ? [128, 1000] : $0 })
        #expect(ours.metadata.int("bitnet-b1.58.vocab_size") == 1000)
    }

    @Test func builtInVocabularyIsTheFixtureVocabulary() throws {
        let fixture = try Self.fixture("i2_s")
        let vocabulary = try SyntheticVocabulary(size: 1000)
        #expect(vocabulary.tokens == fixture.metadata["tokenizer.ggml.tokens"]?.stringArray)
        #expect(vocabulary.scores == fixture.metadata["tokenizer.ggml.scores"]?.floatArray)
        #expect(vocabulary.tokenTypes.map(Int.init) == fixture.metadata["tokenizer.ggml.token_type"]?.intArray)
        let bigger = try SyntheticVocabulary(size: 32002)
        #expect(bigger.tokens.count == 32002 && Array(bigger.tokens.prefix(1000)) == vocabulary.tokens)
        #expect(bigger.tokens[1000] == "<unused_0>" && bigger.tokenTypes[1000] == 5)
        #expect(Set(bigger.tokens).count == 32002)
        let small = try SyntheticVocabulary(size: 300)
        #expect(small.tokens == Array(vocabulary.tokens.prefix(300)))
        #expect(throws: SyntheticError.self) { try SyntheticVocabulary(size: 258) }
    }
}
