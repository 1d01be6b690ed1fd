import Foundation
import GGUF
import Kernels
import TestSupport

/// A model held in memory for tests: metadata, tensor infos and owned blobs. Tensors may alias
/// one blob (the same bytes under two names), as synthetic aliased layers do.
final class ModelInMemorySource: TensorSource, @unchecked Sendable {
    let metadata: GGUFMetadata
    private(set) var tensorInfos: [GGUFTensorInfo] = []
    private var blobs: [String: UnsafeMutableRawBufferPointer] = [:]
    private var aliases: [String: String] = [:]
    let sourceLabel: String

    init(metadata: GGUFMetadata, label: String) {
        self.metadata = metadata
        self.sourceLabel = label
    }

    deinit {
        for blob in blobs.values { blob.deallocate() }
    }

    func add(_ name: String, shape: [Int], type: GGMLType, bytes: Data) {
        tensorInfos.append(GGUFTensorInfo(name: name, shape: shape, type: type, offset: 0, byteCount: bytes.count,
                                          elementCount: shape.reduce(1, *)))
        let blob = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.copyBytes(to: blob)
        blobs[name] = blob
    }

    /// `name` shares the bytes of `target`.
    func alias(_ name: String, to target: String) {
        guard let info = tensorInfos.first(where: { $0.name == target }) else { return }
        var copy = info
        copy.name = name
        tensorInfos.append(copy)
        aliases[name] = target
    }

    func tensorData(_ name: String) -> UnsafeRawBufferPointer? {
        guard let blob = blobs[aliases[name] ?? name],
              let info = tensorInfos.first(where: { $0.name == name }) else { return nil }
        return UnsafeRawBufferPointer(start: blob.baseAddress, count: info.byteCount)
    }

    /// A copy of a GGUF file's model with its ternary linear weights stored as `format`
    /// (quantized by our own format code from the values in `file`), and optionally every norm
    /// weight replaced by `normValue`.
    static func converted(from file: GGUFFile, to format: WeightFormatID, normValue: Float? = nil,
                          preNormValue: Float? = nil) throws -> ModelInMemorySource {
        let model = ModelInMemorySource(metadata: file.metadata, label: "\(file.path) as \(format.rawValue)")
        let linear = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]
        for info in file.tensorInfos {
            let blob = try requireNotNil(file.tensorData(info.name), info.name)
            let isLinear = info.name.hasPrefix("blk.") && linear.contains { info.name.hasSuffix(".\($0).weight") }
            if isLinear {
                let columns = info.shape[0], rows = info.shape[1]
                var values = [Float](repeating: 0, count: rows * columns)
                try values.withUnsafeMutableBufferPointer { out in
                    try RowDequantizer.dequantizeRows(type: info.type, blob: blob, columns: columns, rows: 0..<rows,
                                                      into: out.baseAddress!)
                }
                let target = WeightFormats.format(format)
                let parameters = try TileConfigurationTable.bitnetPresets.parameters(for: format, rows: rows, columns: columns)
                var bytes = Data(count: target.byteCount(rows: rows, columns: columns, parameters: parameters))
                try bytes.withUnsafeMutableBytes { out in
                    try values.withUnsafeBufferPointer { input in
                        try target.quantize(input, rows: rows, columns: columns, parameters: parameters, into: out)
                    }
                }
                model.add(info.name, shape: info.shape, type: target.ggmlType, bytes: bytes)
            } else if let normValue, info.name.hasSuffix("norm.weight"), info.type == .f32 {
                let isPreNorm = info.name.hasSuffix("attn_norm.weight") || info.name.hasSuffix("ffn_norm.weight")
                var values = [Float](repeating: isPreNorm ? (preNormValue ?? normValue) : normValue, count: info.elementCount)
                model.add(info.name, shape: info.shape, type: .f32, bytes: Data(bytes: &values, count: values.count * 4))
            } else {
                model.add(info.name, shape: info.shape, type: info.type, bytes: Data(blob))
            }
        }
        return model
    }
}

extension ModelInMemorySource {
    /// A byte-for-byte copy of a file's tensors under other metadata; optionally every layer-1
    /// tensor aliases its layer-0 twin instead of having bytes of its own.
    static func copy(of file: GGUFFile, metadata: GGUFMetadata, aliasingLayer1ToLayer0: Bool = false) throws -> ModelInMemorySource {
        let model = ModelInMemorySource(metadata: metadata, label: "copy of \(file.path)")
        for info in file.tensorInfos where !(aliasingLayer1ToLayer0 && info.name.hasPrefix("blk.1.")) {
            let blob = try requireNotNil(file.tensorData(info.name), info.name)
            model.add(info.name, shape: info.shape, type: info.type, bytes: Data(blob))
        }
        if aliasingLayer1ToLayer0 {
            for info in file.tensorInfos where info.name.hasPrefix("blk.1.") {
                model.alias(info.name, to: "blk.0." + info.name.dropFirst("blk.1.".count))
            }
        }
        return model
    }
}

/// Unwraps or throws a FixtureError naming what was missing.
func requireNotNil<T>(_ value: T?, _ what: String) throws -> T {
    guard let value else { throw FixtureError("\(what) is missing") }
    return value
}
