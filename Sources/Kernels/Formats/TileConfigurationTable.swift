import Foundation

/// TL1/TL2 tiling (BM, BK, bm) per weight shape (M, K). bitnet.cpp fixes these when it generates its
/// kernels and never stores them in the GGUF (FORMATS.md 2.2, 2.3.1), so a reader needs a side
/// table: our own GGUF keys, bitnet.cpp's presets, or a bitnet.cpp `kernel_config.ini`.
///
/// Our GGUF keys (bitnet.cpp ignores unknown keys): `bitbench.tl1.tiles` and `bitbench.tl2.tiles`,
/// each an array of strings `"M,K,BM,BK,bm"`, one per shape, e.g. `"768,3072,256,96,32"`.
public struct TileConfigurationTable: Sendable, Equatable {
    /// One table entry's key: the format and the weight shape.
    public struct Key: Hashable, Sendable {
        /// `.tl1` or `.tl2`.
        public var format: WeightFormatID
        /// M (rows, ne1).
        public var rows: Int
        /// K (columns, ne0).
        public var columns: Int
        /// Makes a key.
        public init(format: WeightFormatID, rows: Int, columns: Int) {
            self.format = format
            self.rows = rows
            self.columns = columns
        }
    }

    /// The entries.
    public private(set) var entries: [Key: TileConfiguration]

    /// Makes a table from entries.
    public init(entries: [Key: TileConfiguration] = [:]) { self.entries = entries }

    /// The GGUF metadata key holding a format's tiles.
    public static func metadataKey(for format: WeightFormatID) -> String {
        "bitbench.\(format.rawValue).tiles"
    }

    /// The entry for a shape, if any.
    public func configuration(for format: WeightFormatID, rows: Int, columns: Int) -> TileConfiguration? {
        entries[Key(format: format, rows: rows, columns: columns)]
    }

    /// Adds or replaces an entry.
    public mutating func set(_ configuration: TileConfiguration, for format: WeightFormatID, rows: Int, columns: Int) {
        entries[Key(format: format, rows: rows, columns: columns)] = configuration
    }

    /// This table with `other`'s entries added; `other` wins where both have a shape.
    public func merging(_ other: TileConfigurationTable) -> TileConfigurationTable {
        TileConfigurationTable(entries: entries.merging(other.entries) { _, new in new })
    }

    /// The format parameters for a TL1/TL2 tensor: this table's entry, else bitnet.cpp's preset,
    /// else `KernelError.missingTileConfiguration`. Other formats need no parameters.
    public func parameters(for format: WeightFormatID, rows: Int, columns: Int) throws -> FormatParameters {
        guard format == .tl1 || format == .tl2 else { return .none }
        if let tile = configuration(for: format, rows: rows, columns: columns)
            ?? Self.bitnetPresets.configuration(for: format, rows: rows, columns: columns) {
            return FormatParameters(tile: tile)
        }
        throw KernelError.missingTileConfiguration(format: format, rows: rows, columns: columns)
    }

    // MARK: bitnet.cpp presets

    /// bitnet.cpp setup_env.py presets (FORMATS.md 2.2 and 2.3.1): (M, K, BM, BK, bm).
    private static let presetRows: [(WeightFormatID, Int, Int, Int, Int, Int)] = [
        // TL2, bm = 32: bitnet_b1_58-large, bitnet_b1_58-3B, Llama3-8B-1.58, and the 125M dummy shapes.
        (.tl2, 1536, 4096, 256, 96, 32), (.tl2, 1536, 1536, 128, 192, 32), (.tl2, 4096, 1536, 256, 96, 32),
        (.tl2, 3200, 8640, 160, 96, 32), (.tl2, 3200, 3200, 320, 96, 32), (.tl2, 8640, 3200, 320, 96, 32),
        (.tl2, 14336, 4096, 256, 96, 32), (.tl2, 4096, 14336, 128, 96, 32), (.tl2, 1024, 4096, 256, 96, 32),
        (.tl2, 4096, 4096, 128, 96, 32),
        (.tl2, 3072, 768, 256, 96, 32), (.tl2, 768, 768, 128, 96, 32), (.tl2, 768, 3072, 256, 96, 32),
        // TL1: bitnet_b1_58-large, bitnet_b1_58-3B, Llama3-8B-1.58.
        (.tl1, 1536, 4096, 256, 128, 32), (.tl1, 1536, 1536, 128, 64, 64), (.tl1, 4096, 1536, 256, 128, 32),
        (.tl1, 3200, 8640, 160, 64, 32), (.tl1, 3200, 3200, 320, 128, 64), (.tl1, 8640, 3200, 320, 64, 32),
        (.tl1, 14336, 4096, 256, 128, 32), (.tl1, 4096, 14336, 128, 64, 64), (.tl1, 1024, 4096, 256, 128, 32),
        (.tl1, 4096, 4096, 128, 64, 64),
    ]

    /// bitnet.cpp's presets for the shapes its setup_env.py knows.
    public static let bitnetPresets: TileConfigurationTable = {
        var table = TileConfigurationTable()
        for (format, m, k, bigM, bk, bm) in presetRows {
            table.set(TileConfiguration(rowsPerTile: bigM, kBlock: bk, rowsPerGroup: bm), for: format, rows: m, columns: k)
        }
        return table
    }()

    // MARK: "M,K,BM,BK,bm" strings (our GGUF keys)

    /// Reads `"M,K,BM,BK,bm"` strings for one format; `source` names where they came from in errors.
    public init(tileStrings: [String], format: WeightFormatID, source: String) throws {
        self.init()
        for (index, text) in tileStrings.enumerated() {
            let fields = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard fields.count == 5, let m = fields[0], let k = fields[1], let bigM = fields[2],
                  let bk = fields[3], let bm = fields[4], m > 0, k > 0, bigM > 0, bk > 0, bm > 0 else {
                throw TileConfigurationError(source: source,
                    reason: "entry \(index) is \"\(text)\"; expected five positive integers \"M,K,BM,BK,bm\"")
            }
            set(TileConfiguration(rowsPerTile: bigM, kBlock: bk, rowsPerGroup: bm), for: format, rows: m, columns: k)
        }
    }

    /// This table's entries for one format as `"M,K,BM,BK,bm"` strings, sorted by (M, K).
    public func tileStrings(for format: WeightFormatID) -> [String] {
        entries.filter { $0.key.format == format }
            .sorted { ($0.key.rows, $0.key.columns) < ($1.key.rows, $1.key.columns) }
            .map { "\($0.key.rows),\($0.key.columns),\($0.value.rowsPerTile),\($0.value.kBlock),\($0.value.rowsPerGroup)" }
    }

    // MARK: bitnet.cpp kernel_config.ini

    /// Reads bitnet.cpp's `include/kernel_config.ini` (written by utils/codegen_tl1.py or
    /// codegen_tl2.py): sections `[Kernels_N]` with keys `m`, `k`, `bm` (BM), `bk` (BK) and `bmm` (bm).
    /// The file does not say which format it is for, so `format` does (TL2 unless told).
    public init(kernelConfigINI path: String, format: WeightFormatID = .tl2) throws {
        let maximumBytes = 1 << 20
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw TileConfigurationError(source: path, reason: "cannot read the file: \(error.localizedDescription)")
        }
        if let size = attributes[.size] as? Int, size > maximumBytes {
            throw TileConfigurationError(source: path, reason: "the file has \(size) bytes; a kernel_config.ini is far smaller (limit \(maximumBytes))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TileConfigurationError(source: path, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TileConfigurationError(source: path, reason: "the file is not UTF-8 text")
        }
        try self.init(kernelConfigText: text, format: format, source: path)
    }

    /// Parses kernel_config.ini text; `source` names the file in errors.
    public init(kernelConfigText text: String, format: WeightFormatID = .tl2, source: String) throws {
        self.init()
        var sections: [(name: String, line: Int, values: [String: String])] = []
        for (lineIndex, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw TileConfigurationError(source: source, reason: "line \(lineIndex + 1): malformed section header \"\(line)\"")
                }
                sections.append((String(line.dropFirst().dropLast()), lineIndex + 1, [:]))
                continue
            }
            let separator = line.firstIndex(of: "=") ?? line.firstIndex(of: ":")
            guard let separator, !sections.isEmpty else {
                throw TileConfigurationError(source: source, reason: "line \(lineIndex + 1): expected \"key = value\" inside a [Kernels_N] section, got \"\(line)\"")
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            sections[sections.count - 1].values[key] = value
        }
        guard !sections.isEmpty else {
            throw TileConfigurationError(source: source, reason: "no [Kernels_N] sections found")
        }
        for section in sections {
            var numbers: [String: Int] = [:]
            for key in ["m", "k", "bm", "bk", "bmm"] {
                guard let text = section.values[key] else {
                    throw TileConfigurationError(source: source, reason: "section [\(section.name)] (line \(section.line)) has no key \"\(key)\"")
                }
                guard let value = Int(text), value > 0 else {
                    throw TileConfigurationError(source: source, reason: "section [\(section.name)] key \"\(key)\" is \"\(text)\"; expected a positive integer")
                }
                numbers[key] = value
            }
            set(TileConfiguration(rowsPerTile: numbers["bm"]!, kBlock: numbers["bk"]!, rowsPerGroup: numbers["bmm"]!),
                for: format, rows: numbers["m"]!, columns: numbers["k"]!)
        }
    }
}

/// A tile table source (GGUF key or kernel_config.ini) that could not be read.
public struct TileConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The file path or metadata key.
    public var source: String
    /// What was wrong.
    public var reason: String
    /// A one-line message.
    public var description: String { "\(source): \(reason)" }
}
