import Foundation
import GGUF
import Testing
import TestSupport

/// What `bitbench model info` prints, computed from real files.
@Suite struct ModelSummaryTests {
    @Test func smolLM2Summary() throws {
        let url = try #require(Fixtures.smolLM2, "SmolLM2 is not installed")
        let summary = GGUFModelSummary(try GGUFFile(path: url.path))
        #expect(summary.architecture.name == "llama")
        #expect(summary.architecture.hyperparameters["block_count"] == .integer(30))
        #expect(summary.architecture.hyperparameters["vocab_size"] == .integer(49152))
        #expect(summary.architecture.hyperparameters["attention.layer_norm_rms_epsilon"] == .number(1e-5))
        #expect(summary.tensors.count == 272)
        let counts = Dictionary(uniqueKeysWithValues: summary.tensors.byType.map { ($0.type, $0.tensorCount) })
        #expect(counts == ["Q4_1": 210, "F32": 61, "Q8_0": 1])
        #expect(summary.tensors.byType.first?.type == "Q4_1", "sorted by bytes")
        // Q4_1 is 20 bytes per 32 weights: exactly 5 bits; 7 matrices x 30 layers are linear.
        #expect(summary.bitsPerWeight.linearLayers == 5.0)
        #expect(summary.bitsPerWeight.linearTensorCount == 210)
        #expect(summary.tensors.parameterCount == summary.tensors.byType.map(\.elements).reduce(0, +))
        #expect(summary.tokenizer.model == "gpt2" && summary.tokenizer.preTokenizer == "smollm")
        #expect(summary.tokenizer.vocabularySize == 49152 && summary.tokenizer.mergeCount == 48900)
        #expect(summary.tokenizer.hasChatTemplate)
        #expect(summary.file.version == 3 && summary.file.alignment == 32 && summary.file.sizeBytes == 98_362_432)

        let text = summary.textReport()
        #expect(text.contains("architecture  llama"))
        #expect(text.contains("block_count"))
        #expect(text.contains("vocabulary 49152"))
    }

    @Test func jsonIsValidAndStable() throws {
        let url = Fixtures.shared("bitnet-tiny/bitnet-tiny.i2_s.gguf")
        let summary = GGUFModelSummary(try GGUFFile(path: url.path))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(summary)
        let again = try encoder.encode(GGUFModelSummary(try GGUFFile(path: url.path)))
        #expect(data == again)
        #expect(try JSONDecoder().decode(GGUFModelSummary.self, from: data) == summary)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["architecture"] as? [String: Any])?["name"] as? String == "bitnet")
        #expect((object["file"] as? [String: Any])?["typeIDDialect"] as? String == "bitnet-fork")
        // I2_S: 2 bits per weight plus the 32-byte scale trailer of each of the 14 matrices.
        let bpw = try #require(summary.bitsPerWeight.linearLayers)
        #expect(bpw == Double(18_874_368 / 4 + 14 * 32) * 8 / 18_874_368)
    }

    @Test func linearLayerSelection() {
        func info(_ name: String, _ shape: [Int]) -> GGUFTensorInfo {
            GGUFTensorInfo(name: name, shape: shape, type: .f32, offset: 0, byteCount: 0, elementCount: 0)
        }
        #expect(GGUFModelSummary.isLinearLayer(info("blk.0.attn_q.weight", [4, 4])))
        #expect(!GGUFModelSummary.isLinearLayer(info("token_embd.weight", [4, 4])))
        #expect(!GGUFModelSummary.isLinearLayer(info("output.weight", [4, 4])))
        #expect(!GGUFModelSummary.isLinearLayer(info("blk.0.attn_norm.weight", [4])))
        #expect(!GGUFModelSummary.isLinearLayer(info("blk.0.attn_q.bias", [4, 4])))
    }
}
