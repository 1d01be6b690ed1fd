import Foundation
import Synthetic
import Testing

/// The presets: every shape of MODELS.md, by name, with MODELS.md's parameter counts.
@Suite struct PresetTests {
    /// MODELS.md's table: name → linear params in billions (3 decimals).
    static let published: [(String, Double)] = [
        ("125M", 0.104), ("350M", 0.327), ("1B", 0.931), ("1.5B", 1.453), ("2.7B", 2.605), ("3.8B", 3.681),
        ("7B", 6.879), ("13B", 12.688), ("30B", 30.262), ("70B", 69.793), ("100B", 99.959),
    ]

    @Test func everyPublishedShapeHasItsLinearParameterCount() throws {
        for (name, billions) in Self.published {
            let shape = try ModelPresets.shape(named: name)
            #expect(((Double(shape.linearParameters) / 1e9) * 1000).rounded() / 1000 == billions, "\(name)")
            #expect(shape.architecture == .bitnet && shape.kvHeads == shape.heads)
        }
    }

    @Test func namedCheckpointsAndTheReleasedModel() throws {
        let large = try ModelPresets.shape(named: "700M")
        #expect([large.hidden, large.ffn, large.layers, large.heads] as [Int] == [1536, 4096, 24, 16])
        let threeB = try ModelPresets.shape(named: "3b")
        #expect([threeB.hidden, threeB.ffn, threeB.layers, threeB.heads] as [Int] == [3200, 8640, 26, 32])
        let released = try ModelPresets.shape(named: "2B-4T")
        #expect(released.architecture == .bitnetB158)
        #expect([released.hidden, released.ffn, released.layers, released.heads, released.kvHeads, released.headDim] as [Int]
                == [2560, 6912, 30, 20, 5, 128])
        #expect(released.ropeTheta == 500_000 && released.contextLength == 4096 && released.publishedVocab == 128_256)
        #expect(ModelPresets.names == ["125M", "350M", "700M", "1B", "1.5B", "2.7B", "3B", "3.8B", "7B", "13B",
                                       "30B", "70B", "100B", "2B-4T"])
    }

    @Test func unknownPresetListsTheKnownOnes() {
        #expect(throws: SyntheticError.unknownPreset("9B", known: ModelPresets.names)) {
            try ModelPresets.shape(named: "9B")
        }
    }

    @Test func architectureNames() {
        #expect(SyntheticArchitecture(argument: "bitnet") == .bitnet)
        #expect(SyntheticArchitecture(argument: "bitnet-b1.58") == .bitnetB158)
        #expect(SyntheticArchitecture(argument: "bitnet-25") == .bitnetB158)
        #expect(SyntheticArchitecture(argument: "llama") == nil)
    }

    @Test func shapeFileRoundTripAndErrorsNameTheField() throws {
        let dir = try TemporaryDirectory()
        let good = dir.file("good.json")
        try #"{"name": "tiny", "architecture": "bitnet-b1.58", "hidden": 256, "ffn": 512, "layers": 2, "heads": 4, "kvHeads": 2}"#
            .write(toFile: good, atomically: true, encoding: .utf8)
        let shape = try ModelShape.load(jsonFile: good)
        #expect(shape.name == "tiny" && shape.architecture == .bitnetB158 && shape.headDim == 64 && shape.kvHeads == 2)

        let missing = dir.file("missing.json")
        try #"{"hidden": 256, "ffn": 512, "layers": 2}"#.write(toFile: missing, atomically: true, encoding: .utf8)
        #expect(throws: SyntheticError.shapeFile(path: missing, reason: "missing field 'heads'")) {
            try ModelShape.load(jsonFile: missing)
        }
        let badHeads = dir.file("bad.json")
        try #"{"hidden": 256, "ffn": 512, "layers": 2, "heads": 4, "kvHeads": 3}"#.write(toFile: badHeads, atomically: true, encoding: .utf8)
        do {
            _ = try ModelShape.load(jsonFile: badHeads)
            Issue.record("kvHeads 3 of 4 heads was accepted")
        } catch let error as SyntheticError {
            #expect(error.description.contains("kvHeads") && error.description.contains(badHeads))
        }
        #expect(throws: SyntheticError.self) { try ModelShape.load(jsonFile: dir.file("absent.json")) }
    }

    @Test func catalogHasEveryPresetAndRefusesImpossibleTypes() throws {
        let catalog = try PresetCatalog()
        #expect(catalog.entries.map(\.name) == ModelPresets.names)
        let threeB = try #require(catalog.entries.first { $0.name == "3B" })
        // 3200 and 8640 are not multiples of 256 (TQ, FORMATS.md 2.4). I2_S reads K = 8640 from its
        // flat layout (K % 32 == 0, M*K % 128 == 0), so it is offered.
        #expect(threeB.bytes["tq2_0"] == nil && threeB.bytes["tq1_0"] == nil && threeB.bytes["i2_s"] != nil)
        #expect(threeB.bytes["tl2"] != nil && threeB.bytes["f16"] != nil)
        let hundred = try #require(catalog.entries.first { $0.name == "100B" })
        // MODELS.md: 2-bit linear 23.3 GiB, FP16 linear 186.2 GiB.
        #expect(abs(Double(hundred.bytes["i2_s"]!) / Double(1 << 30) - 23.3) < 0.05)
        #expect(abs(Double(hundred.bytes["f16"]!) / Double(1 << 30) - 186.2) < 0.05)
        #expect(catalog.textTable().contains("100B"))
    }
}

/// A temporary directory removed when the value is released.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "bitbench-synthetic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
