import GGUF
import Kernels

/// The GGUF metadata of a synthetic model, key for key as bitnet.cpp's own files have them
/// (shared/fixtures/bitnet-tiny for `bitnet`, shared/fixtures/bitnet-b158-tiny for `bitnet-b1.58`),
/// followed by BitBench's own `bitbench.*` keys (bitnet.cpp ignores unknown keys).
enum SyntheticMetadata {
    /// Prefix of the keys only BitBench reads.
    static let ownPrefix = "bitbench."

    /// Builds the metadata; `extra` entries (TL1/TL2 tile tables) come last.
    static func build(spec: SyntheticModelSpec, vocabulary: SyntheticVocabulary,
                      extra: [(String, GGUFValue)]) -> GGUFMetadata {
        let shape = spec.shape
        let p = shape.architecture.ggufName
        var entries: [(String, GGUFValue)] = [("general.architecture", .string(p)),
                                              ("general.name", .string("bitbench-synthetic-\(shape.name)"))]
        switch shape.architecture {
        case .bitnet:
            // Order of the bitnet-tiny fixtures (the dummy generator + llama-quantize).
            entries += [
                ("\(p).block_count", .uint32(UInt32(shape.layers))),
                ("\(p).context_length", .uint32(UInt32(shape.contextLength))),
                ("\(p).embedding_length", .uint32(UInt32(shape.hidden))),
                ("\(p).feed_forward_length", .uint32(UInt32(shape.ffn))),
                ("\(p).attention.head_count", .uint32(UInt32(shape.heads))),
                ("\(p).attention.head_count_kv", .uint32(UInt32(shape.kvHeads))),
                ("\(p).rope.freq_base", .float32(shape.ropeTheta)),
                ("\(p).attention.layer_norm_rms_epsilon", .float32(shape.rmsEpsilon)),
                ("general.file_type", .uint32(spec.weightType.fileType)),
                ("\(p).vocab_size", .uint32(UInt32(vocabulary.tokens.count))),
                ("\(p).rope.scaling.type", .string("linear")),
                ("\(p).rope.scaling.factor", .float32(1)),
            ]
            if shape.headDim != shape.hidden / shape.heads {
                entries.append(("\(p).rope.dimension_count", .uint32(UInt32(shape.headDim))))
            }
        case .bitnetB158:
            // Order of the bitnet-b158-tiny fixture.
            entries += [
                ("general.file_type", .uint32(spec.weightType.fileType)),
                ("\(p).context_length", .uint32(UInt32(shape.contextLength))),
                ("\(p).embedding_length", .uint32(UInt32(shape.hidden))),
                ("\(p).block_count", .uint32(UInt32(shape.layers))),
                ("\(p).feed_forward_length", .uint32(UInt32(shape.ffn))),
                ("\(p).attention.head_count", .uint32(UInt32(shape.heads))),
                ("\(p).attention.head_count_kv", .uint32(UInt32(shape.kvHeads))),
                ("\(p).rope.dimension_count", .uint32(UInt32(shape.headDim))),
                ("\(p).rope.freq_base", .float32(shape.ropeTheta)),
                ("\(p).attention.layer_norm_rms_epsilon", .float32(shape.rmsEpsilon)),
                ("\(p).vocab_size", .uint32(UInt32(vocabulary.tokens.count))),
            ]
        }
        entries += vocabulary.metadataEntries()
        if writtenByQuantize(spec.weightType) {
            // llama-quantize adds this key (bitnet-tiny I2_S/TQ fixtures); the converter does not (TL2).
            entries.append(("general.quantization_version", .uint32(2)))
        }
        entries += [
            ("\(ownPrefix)synthetic.preset", .string(shape.name)),
            ("\(ownPrefix)synthetic.seed", .uint64(spec.seed)),
            ("\(ownPrefix)synthetic.generator", .string(generatorName)),
            ("\(ownPrefix)synthetic.zero_fraction", .float32(Float(spec.distribution.zeroFraction))),
        ]
        entries += extra
        return GGUFMetadata(entries)
    }

    /// Names the value recipe, so a reader knows which generator made the bytes.
    static let generatorName = "counter-splitmix64 v1: trits 16 bits/weight, alpha sqrt(2/pi)/sqrt(K), "
        + "norms 1+0.1N, embedding 2/sqrt(n_embd) N"

    /// True for the types bitnet.cpp makes with llama-quantize rather than with the converter.
    private static func writtenByQuantize(_ type: WeightFormatID) -> Bool {
        switch type {
        case .i2_s, .tq1_0, .tq2_0, .q8_0, .q4_0, .q4_1: return true
        case .f32, .f16, .tl1, .tl2: return false
        }
    }
}
