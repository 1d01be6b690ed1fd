import GGUF

/// The transformer families the engine runs, named as `general.architecture` spells them, with the
/// graph facts that differ between them (shared/reference/FORMATS.md section 4).
public enum ModelArchitecture: String, Sendable, CaseIterable, Codable {
    /// bitnet.cpp's 2024 graph (1bitLLM checkpoints and the dummy models): SiLU-gated FFN.
    case bitnet
    /// BitNet-b1.58-2B-4T: GQA and a ReLU²-gated FFN.
    case bitnetB158 = "bitnet-b1.58"
    /// The pre-release name of `bitnet-b1.58`; the same graph.
    case bitnet25 = "bitnet-25"
    /// LLaMA and its descendants (SmolLM2, Llama 3).
    case llama

    /// Reads `general.architecture`; unknown names are refused with the list of known ones.
    public init(metadata: GGUFMetadata) throws {
        guard let value = metadata["general.architecture"] else {
            throw ModelError.missingKey("general.architecture")
        }
        guard let name = value.stringValue else {
            throw ModelError.invalidKey(key: "general.architecture", value: "\(value)", expected: "a string")
        }
        guard let architecture = ModelArchitecture(rawValue: name) else {
            throw ModelError.unknownArchitecture(name)
        }
        self = architecture
    }

    /// The prefix of the architecture's metadata keys (`bitnet-b1.58.block_count`, …).
    public var keyPrefix: String { rawValue }

    /// How the rotary embedding pairs the dimensions of a head.
    public var ropeStyle: RopeStyle {
        switch self {
        // llama.cpp's LLM_ARCH_BITNET uses LLAMA_ROPE_TYPE_NEOX and the converter leaves q/k
        // unpermuted; the 2B-4T graph is the same (fixtures/bitnet-b158-tiny/README.md).
        case .bitnet, .bitnetB158, .bitnet25: return .neox
        // convert_hf_to_gguf permutes llama's q/k rows, so GGUF stores the adjacent-pair form.
        case .llama: return .normal
        }
    }

    /// The gate activation of the gated feed-forward block.
    public var feedForwardActivation: FeedForwardActivation {
        switch self {
        case .bitnet, .llama: return .silu
        case .bitnetB158, .bitnet25: return .squaredReLU
        }
    }

    /// True when the graph normalizes the attention output and the FFN product (BitNet's SubLN).
    public var hasSubLayerNorms: Bool {
        switch self {
        case .bitnet, .bitnetB158, .bitnet25: return true
        case .llama: return false
        }
    }
}

/// Which dimensions of a head the rotary embedding rotates together.
public enum RopeStyle: String, Sendable, Codable {
    /// ggml's NEOX mode: element i with element i + n_rot/2.
    case neox
    /// ggml's normal mode: element 2i with element 2i+1.
    case normal
}

/// The gate nonlinearity of the gated feed-forward block: `act(gate) * up`.
public enum FeedForwardActivation: String, Sendable, Codable {
    /// x · sigmoid(x).
    case silu
    /// max(x, 0)².
    case squaredReLU
}
