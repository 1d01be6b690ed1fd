import Foundation

/// The shape of a transformer for synthetic weights: sizes, heads, vocabulary and the constants
/// written to GGUF metadata. Presets come from shared/reference/MODELS.md; custom shapes come from
/// flags or a JSON file with the same field names.
public struct ModelShape: Sendable, Equatable, Codable {
    /// Preset name ("700M") or "custom".
    public var name: String
    /// The GGUF architecture.
    public var architecture: SyntheticArchitecture
    /// Hidden size (n_embd).
    public var hidden: Int
    /// FFN size (n_ff).
    public var ffn: Int
    /// Transformer blocks.
    public var layers: Int
    /// Attention heads.
    public var heads: Int
    /// KV heads (GQA); equal to `heads` for the dummy shapes.
    public var kvHeads: Int
    /// Head dimension; `hidden / heads` unless set.
    public var headDim: Int
    /// Context length written to metadata.
    public var contextLength: Int
    /// RoPE base frequency.
    public var ropeTheta: Float
    /// RMSNorm epsilon.
    public var rmsEpsilon: Float
    /// The vocabulary size of the published model (32002 for the dummies, 128256 for 2B-4T); the
    /// synthetic default is the small built-in vocabulary unless `--vocab` asks otherwise.
    public var publishedVocab: Int

    /// Makes a shape; `kvHeads` defaults to `heads` and `headDim` to `hidden / heads`.
    public init(name: String = "custom", architecture: SyntheticArchitecture = .bitnet, hidden: Int, ffn: Int,
                layers: Int, heads: Int, kvHeads: Int? = nil, headDim: Int? = nil, contextLength: Int = 2048,
                ropeTheta: Float = 10000, rmsEpsilon: Float = 1e-5, publishedVocab: Int = 32002) {
        self.name = name
        self.architecture = architecture
        self.hidden = hidden
        self.ffn = ffn
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads ?? heads
        self.headDim = headDim ?? (heads > 0 ? hidden / heads : 0)
        self.contextLength = contextLength
        self.ropeTheta = ropeTheta
        self.rmsEpsilon = rmsEpsilon
        self.publishedVocab = publishedVocab
    }

    /// Width of the K and V projections (kvHeads x headDim).
    public var kvDim: Int { kvHeads * headDim }
    /// Width of the Q projection and the attention output (heads x headDim).
    public var queryDim: Int { heads * headDim }

    /// Weights of the seven ternary projections of one block.
    public var linearParametersPerLayer: Int {
        2 * hidden * queryDim + 2 * hidden * kvDim + 3 * hidden * ffn
    }
    /// Weights of all ternary projections: layers x (4·hidden² + 3·hidden·ffn) without GQA (MODELS.md).
    public var linearParameters: Int { layers * linearParametersPerLayer }
    /// Norm weights: three of n_embd and one of n_ff per block, plus the output norm.
    public var normParameters: Int { layers * (3 * hidden + ffn) + hidden }
    /// All parameters for a vocabulary of `vocab` tokens (tied embedding counted once).
    public func totalParameters(vocab: Int) -> Int { linearParameters + normParameters + vocab * hidden }

    /// Checks that every size is positive, heads divide evenly and nothing overflows.
    public func validate() throws {
        let fields: [(String, Int, Int)] = [
            ("hidden", hidden, 1 << 17), ("ffn", ffn, 1 << 19), ("layers", layers, 4096),
            ("heads", heads, 4096), ("kvHeads", kvHeads, 4096), ("headDim", headDim, 4096),
            ("contextLength", contextLength, 1 << 24),
        ]
        for (field, value, cap) in fields where value <= 0 || value > cap {
            throw SyntheticError.invalidValue(field: field, value: "\(value)", expected: "1...\(cap)")
        }
        guard heads % kvHeads == 0 else {
            throw SyntheticError.invalidValue(field: "kvHeads", value: "\(kvHeads)",
                                              expected: "a divisor of heads (\(heads))")
        }
        guard headDim % 2 == 0 else {
            throw SyntheticError.invalidValue(field: "headDim", value: "\(headDim)",
                                              expected: "an even number (RoPE rotates pairs)")
        }
        guard ropeTheta.isFinite, ropeTheta > 0 else {
            throw SyntheticError.invalidValue(field: "ropeTheta", value: "\(ropeTheta)", expected: "a positive number")
        }
        guard rmsEpsilon.isFinite, rmsEpsilon > 0, rmsEpsilon < 1 else {
            throw SyntheticError.invalidValue(field: "rmsEpsilon", value: "\(rmsEpsilon)", expected: "0 < eps < 1")
        }
    }

    /// Reads a custom shape from JSON: the field names above; `hidden`, `ffn`, `layers` and `heads`
    /// are required, the rest default as in `init`.
    public static func load(jsonFile path: String) throws -> ModelShape {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyntheticError.shapeFile(path: path, reason: "cannot read the file")
        }
        let file: ShapeFile
        do {
            file = try JSONDecoder().decode(ShapeFile.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw SyntheticError.shapeFile(path: path, reason: "missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw SyntheticError.shapeFile(path: path, reason: "field '\(field)' has the wrong type: \(context.debugDescription)")
        } catch {
            throw SyntheticError.shapeFile(path: path, reason: "not valid JSON: \(error)")
        }
        var architecture = SyntheticArchitecture.bitnet
        if let arch = file.architecture {
            guard let parsed = SyntheticArchitecture(argument: arch) else {
                throw SyntheticError.shapeFile(path: path, reason: "architecture '\(arch)' is not bitnet or bitnet-b1.58")
            }
            architecture = parsed
        }
        let shape = ModelShape(
            name: file.name ?? "custom", architecture: architecture, hidden: file.hidden, ffn: file.ffn,
            layers: file.layers, heads: file.heads, kvHeads: file.kvHeads, headDim: file.headDim,
            contextLength: file.contextLength ?? 2048, ropeTheta: file.ropeTheta ?? 10000,
            rmsEpsilon: file.rmsEpsilon ?? 1e-5, publishedVocab: file.publishedVocab ?? 32002)
        do {
            try shape.validate()
        } catch let error as SyntheticError {
            throw SyntheticError.shapeFile(path: path, reason: error.description)
        }
        return shape
    }

    /// The JSON form of a custom shape (optional fields may be left out).
    private struct ShapeFile: Decodable {
        var name: String?
        var architecture: String?
        var hidden: Int
        var ffn: Int
        var layers: Int
        var heads: Int
        var kvHeads: Int?
        var headDim: Int?
        var contextLength: Int?
        var ropeTheta: Float?
        var rmsEpsilon: Float?
        var publishedVocab: Int?
    }
}
