import ArgumentParser
import Engine
import Foundation
import GGUF
import Kernels
import Synthetic

/// The flags that describe a synthetic model's shape and values, shared by `model generate`
/// and `--synthetic` runs: weight type, architecture, vocabulary, custom sizes, ternary mix.
struct SyntheticShapeOptions: ParsableArguments {
    @Option(name: .long, help: "Weight type of the projections: i2_s, tl1, tl2, tq1_0, tq2_0, f16, f32, q8_0, q4_0, q4_1.")
    var type: String = "i2_s"

    @Option(name: .long, help: "Architecture: bitnet or bitnet-b1.58 (default: the preset's).")
    var arch: String?

    @Option(name: .long, help: "Vocabulary size (default \(SyntheticVocabulary.defaultSize), the built-in SentencePiece vocabulary; larger sizes add unused tokens).")
    var vocab: Int?

    @Option(name: .long, help: "Custom shape: hidden size.")
    var hidden: Int?
    @Option(name: .long, help: "Custom shape: FFN size.")
    var ffn: Int?
    @Option(name: .long, help: "Custom shape: transformer blocks.")
    var layers: Int?
    @Option(name: .long, help: "Custom shape: attention heads.")
    var heads: Int?
    @Option(name: .long, help: "Custom shape: KV heads (default: heads).")
    var kvHeads: Int?
    @Option(name: .long, help: "Custom shape: head dimension (default: hidden / heads).")
    var headDim: Int?
    @Option(name: .long, help: "Context length written to the metadata.")
    var contextLength: Int?
    @Option(name: .long, help: "RoPE base frequency.")
    var ropeTheta: Float?
    @Option(name: .long, help: "Custom shape from a JSON file (fields: name, architecture, hidden, ffn, layers, heads, kvHeads, headDim, contextLength, ropeTheta, rmsEpsilon).")
    var shapeFile: String?

    @Option(name: .long, help: "Fraction of zero ternary weights (default: absmean-ternarised Gaussian, 0.3101).")
    var zeroFraction: Double?

    @Option(name: .long, help: "Force the token embedding's type: f16, f32 or q8_0 (default: llama-quantize's rule).")
    var tokenEmbeddingType: String?

    /// The spec for preset `name` (nil or "custom" for a shape given only by flags or a file).
    func spec(preset name: String?, seed: UInt64) throws -> SyntheticModelSpec {
        var shape: ModelShape
        if let shapeFile {
            shape = try ModelShape.load(jsonFile: shapeFile)
        } else if let name, name.lowercased() != "custom" {
            shape = try ModelPresets.shape(named: name)
        } else {
            guard let hidden, let ffn, let layers, let heads else {
                throw ValidationError("a custom shape needs --hidden, --ffn, --layers and --heads (or --shape-file, or a preset: \(ModelPresets.names.joined(separator: ", ")))")
            }
            shape = ModelShape(hidden: hidden, ffn: ffn, layers: layers, heads: heads)
        }
        let overridden = [hidden, ffn, layers, heads, kvHeads, headDim].contains { $0 != nil }
        if let hidden { shape.hidden = hidden }
        if let ffn { shape.ffn = ffn }
        if let layers { shape.layers = layers }
        if let heads { shape.heads = heads }
        if hidden != nil || heads != nil { shape.headDim = shape.hidden / max(shape.heads, 1) }
        if kvHeads != nil || heads != nil { shape.kvHeads = kvHeads ?? shape.heads }
        if let headDim { shape.headDim = headDim }
        if overridden && shape.name != "custom" { shape.name += "-custom" }
        if let contextLength { shape.contextLength = contextLength }
        if let ropeTheta { shape.ropeTheta = ropeTheta }
        if let arch {
            guard let parsed = SyntheticArchitecture(argument: arch) else {
                throw ValidationError("--arch \(arch): expected bitnet or bitnet-b1.58")
            }
            shape.architecture = parsed
        }
        try shape.validate()

        guard let weightType = WeightFormatID(rawValue: type.lowercased()) else {
            throw ValidationError("--type \(type): expected one of \(WeightFormatID.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var spec = SyntheticModelSpec(shape: shape, weightType: weightType,
                                      vocabSize: vocab ?? SyntheticVocabulary.defaultSize, seed: seed)
        if let zeroFraction { spec.distribution = try TernaryDistribution(zeroFraction: zeroFraction) }
        if let tokenEmbeddingType {
            switch tokenEmbeddingType.lowercased() {
            case "f16": spec.tokenEmbeddingType = .f16
            case "f32": spec.tokenEmbeddingType = .f32
            case "q8_0": spec.tokenEmbeddingType = .q8_0
            default: throw ValidationError("--token-embedding-type \(tokenEmbeddingType): expected f16, f32 or q8_0")
            }
        }
        return spec
    }
}

/// `--synthetic NAME` and its aliasing flags, for every command that accepts `-m FILE`.
struct SyntheticOptions: ParsableArguments {
    @Option(name: .long, help: "Run an in-memory synthetic model instead of a file: a preset (\(ModelPresets.names.joined(separator: ", "))) or 'custom'.")
    var synthetic: String?

    @Option(name: .long, help: "Seed of the synthetic weights.")
    var syntheticSeed: UInt64 = 1

    @Option(name: .long, help: "Bandwidth-equivalent aliasing: build K distinct blocks, block i uses block i mod K.")
    var aliasLayers: Int?

    @Flag(name: .long, help: "Alias automatically with the most distinct blocks that fit in memory.")
    var fitMemory = false

    @OptionGroup var shape: SyntheticShapeOptions

    /// True when a synthetic model was asked for.
    var isRequested: Bool { synthetic != nil }

    /// Plans memory for the run's context (default: the model's, at most 4096, as the session
    /// does), batch and threads, checks the aliasing, then builds the model.
    func makeSource(context: Int?, batch: Int, threads: Int) throws -> SyntheticModelSource {
        let spec = try shape.spec(preset: synthetic, seed: syntheticSeed)
        let runContext = context ?? min(spec.shape.contextLength, SessionOptions.defaultContextCap)
        let request = SyntheticModelFactory.Request(spec: spec, context: runContext, batch: min(batch, runContext),
                                                    threads: threads,
                                                    aliasLayers: aliasLayers, fitMemory: fitMemory, showProgress: true)
        let source = try SyntheticModelFactory.make(request)
        FileHandle.standardError.write(Data("bitbench: \(source.sourceLabel): \(source.residentBytes >> 20) MiB of weights in memory\n".utf8))
        return source
    }
}
