/// The GGUF architectures synthetic models can be written as (FORMATS.md 4.1 and 4.2).
public enum SyntheticArchitecture: String, CaseIterable, Sendable, Codable {
    /// bitnet.cpp's original `bitnet` graph: SiLU-gated FFN, sub-norms, tied LM head (the dummies).
    case bitnet
    /// BitNet-b1.58-2B-4T's `bitnet-b1.58` graph: squared-ReLU-gated FFN, GQA, sub-norms, tied LM head.
    case bitnetB158 = "bitnet-b1.58"

    /// `general.architecture`, also the prefix of the model keys (`bitnet.block_count`, ...).
    public var ggufName: String { rawValue }

    /// Parses `--arch` (also accepts `bitnet-25` and `bitnet_b1_58`, names seen for the same graph).
    public init?(argument: String) {
        switch argument.lowercased() {
        case "bitnet": self = .bitnet
        case "bitnet-b1.58", "bitnet_b1_58", "bitnet-25", "bitnet-b158": self = .bitnetB158
        default: return nil
        }
    }
}
