import GGUF
import Kernels

/// What `--type` means for a synthetic model: the GGUF type of the seven projections, the
/// `general.file_type` written, and the type of the tied token embedding.
extension WeightFormatID {
    /// The GGUF tensor type of the projections.
    public var synthesizedTensorType: GGMLType {
        switch self {
        case .f32: return .f32
        case .f16: return .f16
        case .q8_0: return .q8_0
        case .q4_0: return .q4_0
        case .q4_1: return .q4_1
        case .i2_s: return .i2_s
        case .tl1: return .tl1
        case .tl2: return .tl2
        case .tq1_0: return .tq1_0
        case .tq2_0: return .tq2_0
        }
    }

    /// `general.file_type` (llama_ftype): 0 ALL_F32, 1 MOSTLY_F16, 2 Q4_0, 3 Q4_1, 7 Q8_0,
    /// 36 TQ1_0, 37 TQ2_0 (llama.cpp); 38 TL1, 39 TL2 (bitnet.cpp's dummy generator writes the ggml
    /// type id); 40 I2_S (the fork's llama-quantize) — FORMATS.md 1.4, the bitnet-tiny fixtures.
    public var fileType: UInt32 {
        switch self {
        case .f32: return 0
        case .f16: return 1
        case .q4_0: return 2
        case .q4_1: return 3
        case .q8_0: return 7
        case .tq1_0: return 36
        case .tq2_0: return 37
        case .tl1: return 38
        case .tl2: return 39
        case .i2_s: return 40
        }
    }

    /// The token embedding's type when not forced: llama-quantize keeps it F16 for I2_S/TQ1_0/TQ2_0
    /// except that, being the tied output, it becomes Q8_0 when n_embd % 256 != 0 (FORMATS.md 3,
    /// verified on the 3B dummy); the TL1/TL2 converter writes F16 (the bitnet-tiny TL2 fixture);
    /// an all-F32 model keeps F32 and a Q8_0 model Q8_0. Q4_0/Q4_1 models use F16 here, where
    /// llama-quantize would pick Q6_K for the tied output (no Q6_K quantizer in BitBench).
    public func defaultTokenEmbeddingType(hidden: Int) -> GGMLType {
        switch self {
        case .i2_s, .tq1_0, .tq2_0: return hidden % 256 == 0 ? .f16 : .q8_0
        case .f32: return .f32
        case .q8_0: return .q8_0
        case .f16, .q4_0, .q4_1, .tl1, .tl2: return .f16
        }
    }
}
