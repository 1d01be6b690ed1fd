import GGUF
import Kernels

/// Turns a source's tensors into prepared weights: one `PreparedWeights` per distinct blob.
///
/// Two tensor names whose bytes are the same memory (synthetic aliased layers) share one prepared
/// object, so aliasing does not multiply memory. The cache key is the blob's base address and
/// length together with the format and its parameters.
final class WeightBinder {
    private struct Key: Hashable {
        var base: UInt
        var count: Int
        var format: WeightFormatID
        var parameters: FormatParameters
        var rows: Int
        var columns: Int
    }

    let source: TensorSource
    let path: KernelPath
    let tiles: TileConfigurationTable
    private var prepared: [Key: any PreparedWeights] = [:]
    private var infos: [String: GGUFTensorInfo] = [:]
    /// Float copies made for tensor types that have no kernel (e.g. a Q6_K output head); the
    /// prepared F32 weights point into them, so they live as long as the model.
    private(set) var ownedBlobs: [OwnedBuffer] = []

    /// Linear tensors bound, aliases included.
    private(set) var boundCount = 0
    /// Bytes of weight data of the distinct prepared matrices.
    private(set) var distinctWeightBytes = 0

    /// Number of distinct prepared matrices.
    var distinctCount: Int { prepared.count }

    init(source: TensorSource, path: KernelPath, tiles: TileConfigurationTable) {
        self.source = source
        self.path = path
        self.tiles = tiles
        for info in source.tensorInfos { infos[info.name] = info }
    }

    /// True when the source has a tensor of this name.
    func contains(_ name: String) -> Bool { infos[name] != nil }

    /// The info of a required tensor.
    func info(_ name: String) throws -> GGUFTensorInfo {
        guard let info = infos[name] else { throw ModelError.missingTensor(name) }
        return info
    }

    /// The bytes of a tensor, checked against the size its type and shape imply.
    func data(_ info: GGUFTensorInfo) throws -> UnsafeRawBufferPointer {
        guard let blob = source.tensorData(info.name) else { throw ModelError.missingTensor(info.name) }
        if let expected = info.type.byteCount(shape: info.shape), blob.count < expected {
            throw ModelError.tensorData(name: info.name, reason: "has \(blob.count) bytes, its type \(info.type) and shape \(info.shape) need \(expected)")
        }
        return blob
    }

    /// A weight matrix W (rows = output features M, columns = input features K), stored with
    /// ggml shape [K, M], ready for `multiply`.
    func linear(_ name: String, rows: Int, columns: Int) throws -> any PreparedWeights {
        let info = try info(name)
        guard info.shape == [columns, rows] else {
            throw ModelError.tensorShape(name: name, expected: [columns, rows], actual: info.shape)
        }
        let blob = try data(info)
        boundCount += 1
        if let format = WeightFormats.all.first(where: { $0.ggmlType == info.type }) {
            return try prepare(format, blob: blob, name: name, rows: rows, columns: columns)
        }
        return try prepareDequantized(info, blob: blob, rows: rows, columns: columns)
    }

    /// A 1-D float tensor (norm weights) of `count` elements, in any type the row dequantizer reads.
    func vector(_ name: String, count: Int) throws -> [Float] {
        let info = try info(name)
        guard info.elementCount == count, info.shape.first == count else {
            throw ModelError.tensorShape(name: name, expected: [count], actual: info.shape)
        }
        let blob = try data(info)
        var values = [Float](repeating: 0, count: count)
        do {
            try values.withUnsafeMutableBufferPointer { out in
                try RowDequantizer.dequantizeRows(type: info.type, blob: blob, columns: count, rows: 0..<1,
                                                  into: out.baseAddress!)
            }
        } catch {
            throw ModelError.unsupportedTensorType(name: name, type: "\(info.type)", role: "a norm vector (\(error))")
        }
        guard values.allSatisfy(\.isFinite) else {
            throw ModelError.tensorData(name: name, reason: "holds a value that is not finite")
        }
        return values
    }

    private func prepare(_ format: any WeightFormat, blob: UnsafeRawBufferPointer, name: String,
                         rows: Int, columns: Int) throws -> any PreparedWeights {
        let weights: any PreparedWeights
        do {
            let parameters = try tiles.parameters(for: format.id, rows: rows, columns: columns)
            let key = Key(base: UInt(bitPattern: blob.baseAddress), count: blob.count, format: format.id,
                          parameters: parameters, rows: rows, columns: columns)
            if let existing = prepared[key] { return existing }
            try format.checkShape(rows: rows, columns: columns, parameters: parameters)
            let expected = format.byteCount(rows: rows, columns: columns, parameters: parameters)
            guard blob.count >= expected else {
                throw KernelError.blobSize(format: format.id, expected: expected, actual: blob.count)
            }
            weights = try format.prepare(UnsafeRawBufferPointer(rebasing: blob[0..<expected]), rows: rows,
                                         columns: columns, parameters: parameters, path: path)
            prepared[key] = weights
        } catch let error as KernelError {
            throw ModelError.tensorData(name: name, reason: error.description)
        }
        distinctWeightBytes += weights.weightBytes
        return weights
    }

    /// Types without a kernel (Q6_K, BF16, …) are widened once to F32 and run on the F32 kernel.
    private func prepareDequantized(_ info: GGUFTensorInfo, blob: UnsafeRawBufferPointer,
                                    rows: Int, columns: Int) throws -> any PreparedWeights {
        let f32 = WeightFormats.format(.f32)
        let key = Key(base: UInt(bitPattern: blob.baseAddress), count: blob.count, format: .f32,
                      parameters: .none, rows: rows, columns: columns)
        if let existing = prepared[key] { return existing }
        let owned = OwnedBuffer(byteCount: rows * columns * MemoryLayout<Float>.stride)
        do {
            try RowDequantizer.dequantizeRows(type: info.type, blob: blob, columns: columns, rows: 0..<rows,
                                              into: owned.floats)
        } catch {
            throw ModelError.unsupportedTensorType(name: info.name, type: "\(info.type)",
                                                   role: "a weight matrix (no kernel and no dequantizer: \(error))")
        }
        ownedBlobs.append(owned)
        let weights = try f32.prepare(owned.bytes, rows: rows, columns: columns, parameters: .none, path: path)
        prepared[key] = weights
        distinctWeightBytes += weights.weightBytes
        return weights
    }
}

/// A heap buffer with one owner, released when the owner goes away.
final class OwnedBuffer: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let raw: UnsafeMutableRawPointer

    init(byteCount: Int) {
        raw = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        bytes = UnsafeRawBufferPointer(start: raw, count: byteCount)
    }

    var floats: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }

    deinit { raw.deallocate() }
}
