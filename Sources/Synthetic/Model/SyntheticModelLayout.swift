import GGUF
import Kernels

/// The complete description of a synthetic model before any weight exists: metadata, the tensors
/// in file order with their types and sizes, and the offsets a GGUF file of it has. The file writer
/// and the in-memory source both work from it, so they describe the same model.
public struct SyntheticModelLayout: Sendable {
    /// What was asked for.
    public let spec: SyntheticModelSpec
    /// The vocabulary written to metadata.
    public let vocabulary: SyntheticVocabulary
    /// GGUF metadata, key order as bitnet.cpp's files.
    public let metadata: GGUFMetadata
    /// Tensors in file order.
    public let tensors: [SyntheticTensor]
    /// GGUF tensor infos (offsets relative to the data section, alignment 32).
    public let tensorInfos: [GGUFTensorInfo]
    /// Size of the data section (padded blobs).
    public let dataSectionBytes: Int

    /// GGUF data alignment (the default; no `general.alignment` key is written).
    public static let alignment = 32

    /// Lays out `spec`; throws when the weight type cannot hold one of the shapes.
    public init(spec: SyntheticModelSpec) throws {
        try spec.shape.validate()
        self.spec = spec
        vocabulary = try SyntheticVocabulary(size: spec.vocabSize)
        tensors = try Self.tensorList(spec: spec, vocab: vocabulary.tokens.count)
        metadata = SyntheticMetadata.build(spec: spec, vocabulary: vocabulary, extra: Self.tileEntries(tensors, spec: spec))
        var offset = 0
        var infos: [GGUFTensorInfo] = []
        infos.reserveCapacity(tensors.count)
        for tensor in tensors {
            infos.append(GGUFTensorInfo(name: tensor.name, shape: tensor.shape, type: tensor.type, offset: offset,
                                        byteCount: tensor.byteCount, elementCount: tensor.elementCount))
            offset += Self.padded(tensor.byteCount)
        }
        tensorInfos = infos
        dataSectionBytes = offset
    }

    /// Rounds up to the data alignment.
    public static func padded(_ bytes: Int) -> Int { (bytes + alignment - 1) / alignment * alignment }

    /// Padded bytes of one transformer block (every block has the same tensors and sizes).
    public var layerBytes: Int {
        tensors.lazy.filter { $0.layer == 0 }.map { Self.padded($0.byteCount) }.reduce(0, +)
    }

    /// Padded bytes outside the blocks (token embedding, output norm).
    public var nonLayerBytes: Int {
        tensors.lazy.filter { $0.layer == nil }.map { Self.padded($0.byteCount) }.reduce(0, +)
    }

    /// An upper bound of the header size (keys, vocabulary, tensor infos), for the disk check.
    public var headerBytesEstimate: Int {
        var bytes = 24 + 64 * metadata.count
        for token in vocabulary.tokens { bytes += 8 + token.utf8.count + 8 }
        for tensor in tensors { bytes += 8 + tensor.name.utf8.count + 4 + 8 * tensor.shape.count + 12 }
        return bytes + 4096
    }

    /// Header plus data: the size of the file (up to the header estimate's slack).
    public var fileBytesEstimate: Int { headerBytesEstimate + dataSectionBytes }

    /// The TL1/TL2 tiling of every projection shape (empty for the other types): what the file
    /// records, and what bitnet.cpp must be built with (`kernelConfigINI(for:)`).
    public var tileTable: TileConfigurationTable {
        Self.tileTable(tensors, type: spec.weightType)
    }

    /// The tensor with this name.
    public func tensor(named name: String) -> SyntheticTensor? {
        tensors.first { $0.name == name }
    }

    // MARK: - Tensors

    private static func tensorList(spec: SyntheticModelSpec, vocab: Int) throws -> [SyntheticTensor] {
        let s = spec.shape
        let embeddingType = spec.effectiveTokenEmbeddingType
        guard [.f32, .f16, .q8_0].contains(embeddingType) else {
            throw SyntheticError.invalidValue(field: "--token-embedding-type", value: "\(embeddingType)",
                                              expected: "f32, f16 or q8_0")
        }
        var list: [SyntheticTensor] = []
        func vector(_ name: String, _ n: Int, layer: Int?) throws {
            list.append(SyntheticTensor(name: name, shape: [n], type: .f32, byteCount: 4 * n, role: .norm,
                                        layer: layer, parameters: .none))
        }
        func matrix(_ name: String, columns k: Int, rows m: Int, layer: Int) throws {
            list.append(try linear(name, columns: k, rows: m, layer: layer, type: spec.weightType))
        }
        let embedding = SyntheticTensor(
            name: "token_embd.weight", shape: [s.hidden, vocab], type: embeddingType,
            byteCount: try byteCount(embeddingType, [s.hidden, vocab], name: "token_embd.weight",
                                     typeName: embeddingType.description.lowercased()),
            role: .tokenEmbedding, layer: nil, parameters: .none)
        list.append(embedding)

        switch s.architecture {
        case .bitnet:
            // The dummy generator's order: HF state-dict names sorted within a block (bitnet-tiny).
            for l in 0..<s.layers {
                try vector("blk.\(l).attn_norm.weight", s.hidden, layer: l)
                try matrix("blk.\(l).ffn_down.weight", columns: s.ffn, rows: s.hidden, layer: l)
                try vector("blk.\(l).ffn_sub_norm.weight", s.ffn, layer: l)
                try matrix("blk.\(l).ffn_gate.weight", columns: s.hidden, rows: s.ffn, layer: l)
                try matrix("blk.\(l).ffn_up.weight", columns: s.hidden, rows: s.ffn, layer: l)
                try vector("blk.\(l).ffn_norm.weight", s.hidden, layer: l)
                try vector("blk.\(l).attn_sub_norm.weight", s.queryDim, layer: l)
                try matrix("blk.\(l).attn_k.weight", columns: s.hidden, rows: s.kvDim, layer: l)
                try matrix("blk.\(l).attn_output.weight", columns: s.queryDim, rows: s.hidden, layer: l)
                try matrix("blk.\(l).attn_q.weight", columns: s.hidden, rows: s.queryDim, layer: l)
                try matrix("blk.\(l).attn_v.weight", columns: s.hidden, rows: s.kvDim, layer: l)
            }
            try vector("output_norm.weight", s.hidden, layer: nil)
        case .bitnetB158:
            // The bitnet-b158-tiny fixture's order: the graph's order within a block.
            try vector("output_norm.weight", s.hidden, layer: nil)
            for l in 0..<s.layers {
                try vector("blk.\(l).attn_norm.weight", s.hidden, layer: l)
                try matrix("blk.\(l).attn_q.weight", columns: s.hidden, rows: s.queryDim, layer: l)
                try matrix("blk.\(l).attn_k.weight", columns: s.hidden, rows: s.kvDim, layer: l)
                try matrix("blk.\(l).attn_v.weight", columns: s.hidden, rows: s.kvDim, layer: l)
                try matrix("blk.\(l).attn_output.weight", columns: s.queryDim, rows: s.hidden, layer: l)
                try vector("blk.\(l).attn_sub_norm.weight", s.queryDim, layer: l)
                try vector("blk.\(l).ffn_norm.weight", s.hidden, layer: l)
                try matrix("blk.\(l).ffn_gate.weight", columns: s.hidden, rows: s.ffn, layer: l)
                try matrix("blk.\(l).ffn_up.weight", columns: s.hidden, rows: s.ffn, layer: l)
                try matrix("blk.\(l).ffn_down.weight", columns: s.ffn, rows: s.hidden, layer: l)
                try vector("blk.\(l).ffn_sub_norm.weight", s.ffn, layer: l)
            }
        }
        return list
    }

    /// One projection: its type, tiling and size, after checking the format can hold it.
    private static func linear(_ name: String, columns k: Int, rows m: Int, layer: Int,
                               type: WeightFormatID) throws -> SyntheticTensor {
        var parameters = FormatParameters.none
        if type == .tl1 || type == .tl2 {
            // bitnet.cpp's preset for the shape, else a valid tiling of our own (recorded in the file).
            do {
                parameters = try TileConfigurationTable().parameters(for: type, rows: m, columns: k, generateMissing: true)
            } catch {
                throw SyntheticError.unsupportedShape(type: type.rawValue, tensor: name, rows: m, columns: k,
                                                      reason: "no tile size fits: \(error)")
            }
        }
        if let format = WeightFormats.all.first(where: { $0.id == type }) {
            do {
                try format.checkShape(rows: m, columns: k, parameters: parameters)
            } catch let KernelError.unsupportedShape(_, _, _, reason) {
                throw SyntheticError.unsupportedShape(type: type.rawValue, tensor: name, rows: m, columns: k, reason: reason)
            } catch {
                throw SyntheticError.unsupportedShape(type: type.rawValue, tensor: name, rows: m, columns: k,
                                                      reason: "\(error)")
            }
        } else if let reason = SyntheticShapeRules.problem(type: type, rows: m, columns: k) {
            throw SyntheticError.unsupportedShape(type: type.rawValue, tensor: name, rows: m, columns: k, reason: reason)
        }
        let ggmlType = type.synthesizedTensorType
        return SyntheticTensor(name: name, shape: [k, m], type: ggmlType,
                               byteCount: try byteCount(ggmlType, [k, m], name: name, typeName: type.rawValue),
                               role: .linear, layer: layer, parameters: parameters)
    }

    private static func byteCount(_ type: GGMLType, _ shape: [Int], name: String, typeName: String) throws -> Int {
        guard let bytes = type.byteCount(shape: shape) else {
            throw SyntheticError.unsupportedShape(type: typeName, tensor: name, rows: shape.count > 1 ? shape[1] : 1,
                                                  columns: shape[0],
                                                  reason: "rows must hold whole \(type.blockSize)-element blocks")
        }
        return bytes
    }

    /// BitBench's own keys recording the TL1/TL2 tiling of every projection shape
    /// (`TileConfigurationTable.store`: `bitbench.tl2.tile.<M>x<K>` = [BM, BK, bm]).
    private static func tileEntries(_ tensors: [SyntheticTensor], spec: SyntheticModelSpec) -> [(String, GGUFValue)] {
        var metadata = GGUFMetadata()
        tileTable(tensors, type: spec.weightType).store(into: &metadata)
        return metadata.orderedEntries.map { ($0.key, $0.value) }
    }

    private static func tileTable(_ tensors: [SyntheticTensor], type: WeightFormatID) -> TileConfigurationTable {
        var table = TileConfigurationTable()
        for tensor in tensors where tensor.role == .linear {
            if let tile = tensor.parameters.tile {
                table.set(tile, for: type, rows: tensor.rows, columns: tensor.columns)
            }
        }
        return table
    }
}
