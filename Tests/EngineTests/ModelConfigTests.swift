import Engine
import Foundation
import GGUF
import Kernels
import Testing
import TestSupport

/// Model configuration from metadata, weight binding, and the checks done before loading.
@Suite struct ModelConfigTests {
    static let tinyI2S = Fixtures.shared("bitnet-tiny/bitnet-tiny.i2_s.gguf").path
    static let b158 = Fixtures.shared("bitnet-b158-tiny/bitnet-b158-tiny.f16.gguf").path

    @Test func bitnetTinyConfigComesFromItsKeys() throws {
        let config = try ModelConfig(source: GGUFFile(path: Self.tinyI2S))
        #expect(config.architecture == .bitnet)
        #expect(config.embeddingLength == 768 && config.feedForwardLength == 3072 && config.layerCount == 2)
        #expect(config.headCount == 12 && config.kvHeadCount == 12 && config.headDimension == 64)
        #expect(config.vocabularySize == 1000 && config.contextLength == 2048)
        #expect(config.ropeFrequencyBase == 10000 && config.ropeFrequencyScale == 1)
        #expect(abs(config.rmsNormEpsilon - 1e-5) < 1e-9)
        #expect(config.architecture.ropeStyle == .neox && config.architecture.feedForwardActivation == .silu)
    }

    @Test func smolLM2IsLlamaWithGQA() throws {
        let path = try #require(Fixtures.smolLM2, "SmolLM2 is installed by scripts/setup.sh")
        let config = try ModelConfig(source: GGUFFile(path: path.path))
        #expect(config.architecture == .llama && config.architecture.ropeStyle == .normal)
        #expect(config.embeddingLength == 576 && config.feedForwardLength == 1536 && config.layerCount == 30)
        #expect(config.headCount == 9 && config.kvHeadCount == 3 && config.headDimension == 64)
        #expect(config.vocabularySize == 49152 && config.contextLength == 8192 && config.ropeFrequencyBase == 100000)
    }

    @Test func olderBitnet25NameIsTheSameGraph() throws {
        let file = try GGUFFile(path: Self.b158)
        var metadata = GGUFMetadata()
        for (key, value) in file.metadata.orderedEntries {
            if key == "general.architecture" {
                metadata[key] = .string("bitnet-25")
            } else if key.hasPrefix("bitnet-b1.58.") {
                metadata["bitnet-25." + key.dropFirst("bitnet-b1.58.".count)] = value
            } else {
                metadata[key] = value
            }
        }
        let model = try ModelInMemorySource.copy(of: file, metadata: metadata)
        let config = try ModelConfig(source: model)
        #expect(config.architecture == .bitnet25)
        #expect(config.architecture.feedForwardActivation == .squaredReLU && config.kvHeadCount == 1)
        // Same graph, same numbers as the bitnet-b1.58 original.
        let ids = [504, 3575, 282, 4649, 314]
        let a = try InferenceSession(source: model, options: SessionOptions(contextLength: 16)).processPrompt(ids)
        let b = try InferenceSession(source: file, options: SessionOptions(contextLength: 16)).processPrompt(ids)
        #expect(a == b)
    }

    @Test func unknownArchitectureIsRefusedByName() throws {
        let file = try GGUFFile(path: Self.tinyI2S)
        var metadata = file.metadata
        metadata["general.architecture"] = .string("mamba")
        let model = try ModelInMemorySource.copy(of: file, metadata: metadata)
        #expect(throws: ModelError.unknownArchitecture("mamba")) { try ModelConfig(source: model) }
        let message = ModelError.unknownArchitecture("mamba").description
        #expect(message.contains("mamba") && message.contains("bitnet-b1.58") && message.contains("llama"))
    }

    @Test func missingKeyIsNamed() throws {
        let file = try GGUFFile(path: Self.tinyI2S)
        var metadata = file.metadata
        metadata["bitnet.block_count"] = nil
        let model = try ModelInMemorySource.copy(of: file, metadata: metadata)
        #expect(throws: ModelError.missingKey("bitnet.block_count")) { try ModelConfig(source: model) }
    }

    @Test func inconsistentHeadsAreRefused() throws {
        let file = try GGUFFile(path: Self.tinyI2S)
        var metadata = file.metadata
        metadata["bitnet.attention.head_count_kv"] = .uint32(5)
        let model = try ModelInMemorySource.copy(of: file, metadata: metadata)
        #expect(throws: ModelError.self) { try ModelConfig(source: model) }
    }

    @Test func contextBeyondTheModelLimitIsRefusedWithNumbers() throws {
        #expect(throws: ModelError.contextTooLong(requested: 4096, limit: 2048)) {
            try InferenceSession(path: Self.tinyI2S, options: SessionOptions(contextLength: 4096))
        }
        #expect(ModelError.contextTooLong(requested: 4096, limit: 2048).description.contains("-c 2048"))
    }

    @Test func memoryShortfallIsRefusedBeforeLoading() throws {
        do {
            _ = try InferenceSession(path: Self.tinyI2S,
                                     options: SessionOptions(contextLength: 2048, availableMemoryBytes: 4 << 20))
            Issue.record("expected a refusal")
        } catch let error as ModelError {
            guard case let .insufficientMemory(message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("KV cache") && message.contains("2048 tokens") && message.contains("MemAvailable"))
        }
    }

    @Test func aliasedLayersShareOnePreparedMatrix() throws {
        let file = try GGUFFile(path: Self.tinyI2S)
        let model = try ModelInMemorySource.copy(of: file, metadata: file.metadata, aliasingLayer1ToLayer0: true)
        let weights = try ModelWeights(source: model, config: ModelConfig(source: model), path: .best,
                                       tiles: TileConfigurationTable())
        #expect(weights.boundMatrixCount == 15)       // 2 layers x 7 + the tied head
        #expect(weights.distinctMatrixCount == 8)     // layer 1 reuses layer 0's seven
        let unaliased = try ModelWeights(source: file, config: ModelConfig(source: file), path: .best,
                                         tiles: TileConfigurationTable())
        #expect(unaliased.distinctMatrixCount == 15)
        #expect(weights.distinctWeightBytes < unaliased.distinctWeightBytes)
    }
}
