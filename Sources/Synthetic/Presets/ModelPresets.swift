/// The model shapes BitBench can make by name: bitnet.cpp's dummy presets
/// (utils/generate-dummy-bitnet-model.py, MODELS.md), the 700M (1bitLLM bitnet_b1_58-large) and
/// 3B (bitnet_b1_58-3B) checkpoints, and BitNet-b1.58-2B-4T.
public enum ModelPresets {
    /// Every preset, smallest first.
    public static let all: [ModelShape] = [
        dummy("125M", hidden: 768, ffn: 3072, layers: 11, heads: 12),
        dummy("350M", hidden: 1024, ffn: 3072, layers: 24, heads: 16),
        dummy("700M", hidden: 1536, ffn: 4096, layers: 24, heads: 16),
        dummy("1B", hidden: 2048, ffn: 3584, layers: 24, heads: 32),
        dummy("1.5B", hidden: 1536, ffn: 9216, layers: 28, heads: 32),
        dummy("2.7B", hidden: 3072, ffn: 7680, layers: 24, heads: 32),
        dummy("3B", hidden: 3200, ffn: 8640, layers: 26, heads: 32),
        dummy("3.8B", hidden: 3840, ffn: 8192, layers: 24, heads: 32),
        dummy("7B", hidden: 4096, ffn: 12032, layers: 32, heads: 32),
        dummy("13B", hidden: 5120, ffn: 13824, layers: 40, heads: 40),
        dummy("30B", hidden: 6656, ffn: 16384, layers: 60, heads: 52),
        dummy("70B", hidden: 8192, ffn: 24576, layers: 80, heads: 64),
        dummy("100B", hidden: 8192, ffn: 45568, layers: 72, heads: 64),
        // BitNet-b1.58-2B-4T (MODELS.md): GQA 20/5, head dim 128, theta 500000, context 4096.
        ModelShape(name: "2B-4T", architecture: .bitnetB158, hidden: 2560, ffn: 6912, layers: 30, heads: 20,
                   kvHeads: 5, headDim: 128, contextLength: 4096, ropeTheta: 500_000, rmsEpsilon: 1e-5,
                   publishedVocab: 128_256),
    ]

    /// Preset names in table order.
    public static var names: [String] { all.map(\.name) }

    /// The preset with this name (case-insensitive; "2b4t" and "bitnet-2b-4t" also name 2B-4T).
    public static func shape(named name: String) throws -> ModelShape {
        let key = name.uppercased()
        if let shape = all.first(where: { $0.name.uppercased() == key }) { return shape }
        if ["2B4T", "BITNET-2B-4T", "BITNET-B1.58-2B-4T"].contains(key) { return all.last! }
        throw SyntheticError.unknownPreset(name, known: names)
    }

    /// A bitnet.cpp dummy shape: `bitnet` arch, KV heads = heads, context 2048, theta 10000, vocab 32002.
    private static func dummy(_ name: String, hidden: Int, ffn: Int, layers: Int, heads: Int) -> ModelShape {
        ModelShape(name: name, architecture: .bitnet, hidden: hidden, ffn: ffn, layers: layers, heads: heads)
    }
}
