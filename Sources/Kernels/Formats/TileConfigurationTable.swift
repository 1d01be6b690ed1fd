import Foundation
import GGUF

/// TL1/TL2 tiling (BM, BK, bm) per weight shape (M, K). bitnet.cpp fixes these when it generates its
/// kernels and never stores them in the GGUF (FORMATS.md 2.2, 2.3.1), so a reader needs a side
/// table: our own GGUF keys, bitnet.cpp's presets, or a bitnet.cpp `kernel_config.ini`.
///
/// Our GGUF keys (bitnet.cpp ignores unknown keys), one per shape:
/// `bitbench.<format>.tile.<M>x<K>` = uint32 array `[BM, BK, bm]`,
/// e.g. `bitbench.tl2.tile.768x3072 = [256, 96, 32]`.
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

    /// The GGUF metadata key of one shape's tiling.
    public static func metadataKey(for format: WeightFormatID, rows: Int, columns: Int) -> String {
        "bitbench.\(format.rawValue).tile.\(rows)x\(columns)"
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
    /// else (only when `generateMissing`, for tensors we create ourselves: benchmarks, synthetic
    /// models) `generated(for:rows:columns:)`, else `KernelError.missingTileConfiguration`.
    /// Other formats need no parameters. A file read from elsewhere must never use a generated
    /// tiling: a wrong BM/BK decodes silently to garbage.
    public func parameters(for format: WeightFormatID, rows: Int, columns: Int,
                           generateMissing: Bool = false) throws -> FormatParameters {
        guard format == .tl1 || format == .tl2 else { return .none }
        if let tile = configuration(for: format, rows: rows, columns: columns)
            ?? Self.bitnetPresets.configuration(for: format, rows: rows, columns: columns)
            ?? (generateMissing ? Self.generated(for: format, rows: rows, columns: columns) : nil) {
            return FormatParameters(tile: tile)
        }
        throw KernelError.missingTileConfiguration(format: format, rows: rows, columns: columns)
    }

    /// Tile heights tried in order by `generated`: bitnet.cpp's common choices first.
    private static let rowsPerTileCandidates = [256, 128, 320, 160, 192, 96, 64, 32]

    /// A valid tiling for a shape without a preset, for tensors we write ourselves:
    /// TL2: BM = the first of 256, 128, 320, 160, 192, 96, 64, 32 dividing M and BK = 96 (bitnet.cpp's
    /// usual choice), which leaves a tail `K mod 96` ∈ {0, 32, 64} when K is a multiple of 32;
    /// TL1: the same BM, BK 128 or 64 dividing K, bm = 32. Our kernels repack the tiles, so every
    /// valid choice runs at the same speed here; bitnet.cpp would need the same values compiled in
    /// (see `kernelConfigINI(for:)`). Nil when no choice fits.
    public static func generated(for format: WeightFormatID, rows: Int, columns: Int) -> TileConfiguration? {
        guard let bigM = rowsPerTileCandidates.first(where: { rows > 0 && rows % $0 == 0 }) else { return nil }
        switch format {
        case .tl2:
            guard columns >= 256, columns % 32 == 0 else { return nil }
            return TileConfiguration(rowsPerTile: bigM, kBlock: 96, rowsPerGroup: 32)
        case .tl1:
            guard let bk = [128, 64].first(where: { columns > 0 && columns % $0 == 0 }) else { return nil }
            return TileConfiguration(rowsPerTile: bigM, kBlock: bk, rowsPerGroup: 32)
        default:
            return nil
        }
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

    // MARK: Our GGUF keys

    /// Reads every `bitbench.tl1.tile.<M>x<K>` / `bitbench.tl2.tile.<M>x<K>` key; other keys are ignored.
    public init(metadata: GGUFMetadata) throws {
        self.init()
        for key in metadata.keys {
            let format: WeightFormatID
            if key.hasPrefix("bitbench.tl1.tile.") {
                format = .tl1
            } else if key.hasPrefix("bitbench.tl2.tile.") {
                format = .tl2
            } else {
                continue
            }
            let shape = key.dropFirst("bitbench.tl2.tile.".count).split(separator: "x", omittingEmptySubsequences: false)
            guard shape.count == 2, let m = Int(shape[0]), let k = Int(shape[1]), m > 0, k > 0 else {
                throw TileConfigurationError(source: key, reason: "the key must end in <M>x<K> with positive integers")
            }
            guard let values = metadata[key]?.intArray, values.count == 3, values.allSatisfy({ $0 > 0 }) else {
                throw TileConfigurationError(source: key, reason: "expected an array of three positive integers [BM, BK, bm], got \(metadata[key].map { "\($0)" } ?? "nothing")")
            }
            set(TileConfiguration(rowsPerTile: values[0], kBlock: values[1], rowsPerGroup: values[2]), for: format, rows: m, columns: k)
        }
    }

    /// Writes every entry as a `bitbench.<format>.tile.<M>x<K>` key (uint32 `[BM, BK, bm]`), sorted by shape.
    public func store(into metadata: inout GGUFMetadata) {
        let sorted = entries.sorted {
            ($0.key.format.rawValue, $0.key.rows, $0.key.columns) < ($1.key.format.rawValue, $1.key.rows, $1.key.columns)
        }
        for (key, tile) in sorted {
            metadata[Self.metadataKey(for: key.format, rows: key.rows, columns: key.columns)] =
                .array(elementType: .uint32, values: [tile.rowsPerTile, tile.kBlock, tile.rowsPerGroup].map { .uint32(UInt32($0)) })
        }
    }

    /// One format's entries as bitnet.cpp's `kernel_config.ini` text (sections `[Kernels_N]` with
    /// m, k, bm = BM, bk = BK, bmm = bm), sorted by shape, for building bitnet.cpp with the same tiles.
    public func kernelConfigINI(for format: WeightFormatID) -> String {
        entries.filter { $0.key.format == format }
            .sorted { ($0.key.rows, $0.key.columns) < ($1.key.rows, $1.key.columns) }
            .enumerated()
            .map { index, entry in
                "[Kernels_\(index)]\nm = \(entry.key.rows)\nk = \(entry.key.columns)\nbm = \(entry.value.rowsPerTile)\nbk = \(entry.value.kBlock)\nbmm = \(entry.value.rowsPerGroup)\n"
            }
            .joined(separator: "\n")
    }

    // MARK: bitnet.cpp kernel_config.ini

    /// Reads bitnet.cpp's `include/kernel_config.ini` (written by utils/codegen_tl1.py or
    /// codegen_tl2.py): sections `[Kernels_N]` with keys `m`, `k`, `bm` (BM), `bk` (BK) and `bmm` (bm).
    /// The file does not say which format it is for, so `format` does (TL2 unless told).
    public init(kernelConfigINI path: String, format: WeightFormatID = .tl2) throws {
        let maximumBytes = 1 << 20
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TileConfigurationError(source: path, reason: "no such file (expected bitnet.cpp's kernel_config.ini)")
        }
        guard !isDirectory.boolValue else {
            throw TileConfigurationError(source: path, reason: "is a directory, not a kernel_config.ini file")
        }
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
