import Kernels

/// The rows of `bitbench model presets`: each preset's shape, parameter counts and the bytes
/// of a synthetic model of it in every weight type (nil where the type cannot hold the shape).
public struct PresetCatalog: Sendable {
    /// One preset's row.
    public struct Entry: Sendable, Codable, Equatable {
        public var name: String
        public var architecture: String
        public var hidden: Int
        public var ffn: Int
        public var layers: Int
        public var heads: Int
        public var kvHeads: Int
        public var headDim: Int
        public var publishedVocab: Int
        /// Vocabulary used for the byte figures.
        public var vocab: Int
        /// Weights of the ternary projections.
        public var linearParameters: Int
        /// All parameters with `vocab` tokens.
        public var totalParameters: Int
        /// Data-section bytes of the model per `--type` (absent: the type cannot hold a shape).
        public var bytes: [String: Int]
        /// One block's data bytes per type.
        public var layerBytes: [String: Int]
    }

    /// The rows, in preset order.
    public let entries: [Entry]
    /// The types in column order.
    public static let types: [WeightFormatID] = [.i2_s, .tl1, .tl2, .tq1_0, .tq2_0, .q4_0, .q8_0, .f16, .f32]

    /// Computes every preset's figures for a vocabulary of `vocab` tokens.
    public init(vocab: Int = SyntheticVocabulary.defaultSize) throws {
        // Vocabulary errors are the caller's (the same for every preset and type): surface them.
        _ = try SyntheticVocabulary(size: vocab)
        entries = ModelPresets.all.map { shape in
            var bytes: [String: Int] = [:]
            var layerBytes: [String: Int] = [:]
            for type in Self.types {
                let spec = SyntheticModelSpec(shape: shape, weightType: type, vocabSize: vocab)
                guard let layout = try? SyntheticModelLayout(spec: spec) else { continue }
                bytes[type.rawValue] = layout.dataSectionBytes
                layerBytes[type.rawValue] = layout.layerBytes
            }
            return Entry(name: shape.name, architecture: shape.architecture.ggufName, hidden: shape.hidden,
                         ffn: shape.ffn, layers: shape.layers, heads: shape.heads, kvHeads: shape.kvHeads,
                         headDim: shape.headDim, publishedVocab: shape.publishedVocab, vocab: vocab,
                         linearParameters: shape.linearParameters, totalParameters: shape.totalParameters(vocab: vocab),
                         bytes: bytes, layerBytes: layerBytes)
        }
    }

    /// A fixed-width text table: parameters in billions, sizes in GiB.
    public func textTable() -> String {
        var header = ["preset", "arch", "hidden", "ffn", "layers", "heads", "kv", "linear B", "total B"]
        header += Self.types.map { "\($0.rawValue) GiB" }
        var rows = [header]
        for e in entries {
            var row = [e.name, e.architecture, "\(e.hidden)", "\(e.ffn)", "\(e.layers)", "\(e.heads)", "\(e.kvHeads)",
                       Self.billions(e.linearParameters), Self.billions(e.totalParameters)]
            row += Self.types.map { type in e.bytes[type.rawValue].map(Self.gib) ?? "-" }
            rows.append(row)
        }
        let widths = (0..<header.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for row in rows {
            let cells = row.enumerated().map { column, cell -> String in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column < 2 ? cell + pad : pad + cell
            }
            text += cells.joined(separator: "  ") + "\n"
        }
        text += "sizes: data bytes of a synthetic model with a \(entries.first?.vocab ?? 0)-token vocabulary "
            + "(the published dummies use 32002, 2B-4T 128256: --vocab); '-' = the type cannot hold a shape\n"
        return text
    }

    private static func billions(_ n: Int) -> String {
        let value = (Double(n) / 1e9 * 1000).rounded() / 1000
        return "\(value)"
    }

    private static func gib(_ bytes: Int) -> String {
        let value = (Double(bytes) / Double(1 << 30) * 100).rounded() / 100
        return "\(value)"
    }
}
