import GGUF

/// bitnet.cpp's TL1 (type 38, the ARM lookup-table format): pairs of weights as a 4-bit index
/// `3*w0 + w1 + 4`, tiled by per-shape (BM, BK, bm), then the f32 scale (FORMATS.md 2.2). No TL1
/// file exists to check against; the layout follows the converter's `process_tl1` as documented.
/// Activations: int8 per token feeding per-token lookup tables, as TL2.
public struct TL1Format: TernaryWeightFormat {
    /// Makes the format.
    public init() {}

    public var id: WeightFormatID { .tl1 }
    public var ggmlType: GGMLType { .tl1 }
    /// K must be a multiple of BK, which is a multiple of 4 (pairs of pairs).
    public var blockSize: Int { 4 }
    public var nominalBitsPerWeight: Double { 2 }
    public var activation: ActivationEncoding { .lookupTable }

    /// The layout for a shape, with the tile from the parameters or bitnet.cpp's presets.
    func layout(rows: Int, columns: Int, parameters: FormatParameters) throws -> TL1Layout {
        guard rows > 0, columns > 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "the matrix is empty")
        }
        guard columns % 4 == 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "K must be a multiple of 4 (pairs of pairs); K=\(columns)")
        }
        guard let tile = parameters.tile
            ?? TileConfigurationTable.bitnetPresets.configuration(for: .tl1, rows: rows, columns: columns) else {
            throw KernelError.missingTileConfiguration(format: id, rows: rows, columns: columns)
        }
        return try TL1Layout(rows: rows, columns: columns, tile: tile)
    }

    public func checkShape(rows: Int, columns: Int, parameters: FormatParameters) throws {
        _ = try layout(rows: rows, columns: columns, parameters: parameters)
    }

    public func byteCount(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        rows * columns / 4 + 32
    }

    public func ternaryRowGranularity(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        (try? layout(rows: rows, columns: columns, parameters: parameters))?.rowsPerTile ?? rows
    }

    /// Ternary-valued input keeps `max|x|`; other input is ternarised with absmean first.
    public func quantize(_ weights: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
                         parameters: FormatParameters, into blob: UnsafeMutableRawBufferPointer) throws {
        try checkShape(rows: rows, columns: columns, parameters: parameters)
        try requireCount(weights.count, rows * columns, "the weight buffer")
        var trits = [Int8](repeating: 0, count: rows * columns)
        let scale = trits.withUnsafeMutableBufferPointer {
            Ternarize.ternarize(UnsafeBufferPointer(rebasing: weights[0..<(rows * columns)]), into: $0).scale
        }
        try trits.withUnsafeBufferPointer {
            try packTernary($0, rowRange: 0..<rows, rows: rows, columns: columns, scale: scale,
                            parameters: parameters, into: blob)
        }
    }

    public func packTernary(_ trits: UnsafeBufferPointer<Int8>, rowRange: Range<Int>, rows: Int, columns: Int,
                            scale: Float, parameters: FormatParameters, into blob: UnsafeMutableRawBufferPointer) throws {
        let layout = try self.layout(rows: rows, columns: columns, parameters: parameters)
        try requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        try requireRowRange(rowRange, rows: rows, granularity: layout.rowsPerTile, tritCount: trits.count, columns: columns)
        try requireScale(scale)
        try requireTrits(UnsafeBufferPointer(rebasing: trits[0..<(rowRange.count * columns)]))
        let bytes = blob.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let source = trits.baseAddress!
        let tiles = (rowRange.lowerBound / layout.rowsPerTile)..<((rowRange.upperBound + layout.rowsPerTile - 1) / layout.rowsPerTile)
        layout.forEachByte(tiles: tiles) { offset, row, pair in
            let w = source + (row - rowRange.lowerBound) * columns + 2 * pair
            let high = UInt8(3 * Int(w[0]) + Int(w[1]) + 4), low = UInt8(3 * Int(w[2]) + Int(w[3]) + 4)
            bytes[offset] = (high << 4) | low
        }
        blob.zero(layout.dataBytes..<layout.byteCount)
        blob.storeFloat32(scale, at: layout.dataBytes)
    }

    public func unpackTernary(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                              parameters: FormatParameters) throws -> (trits: [Int8], scale: Float) {
        let layout = try self.layout(rows: rows, columns: columns, parameters: parameters)
        try requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        var trits = [Int8](repeating: 0, count: rows * columns)
        trits.withUnsafeMutableBufferPointer { decodeRows(blob, layout: layout, rows: 0..<rows, into: $0.baseAddress!) }
        return (trits, blob.float32(at: layout.dataBytes))
    }

    /// Decodes rows into `out` (row-major). Indices 9-15, which no writer produces, read as zeros
    /// (the lookup table has zeros there).
    func decodeRows(_ blob: UnsafeRawBufferPointer, layout: TL1Layout, rows: Range<Int>, into out: UnsafeMutablePointer<Int8>) {
        let bytes = blob.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let columns = layout.columns
        for (local, row) in rows.enumerated() {
            let w = out + local * columns
            for column in stride(from: 0, to: columns, by: 4) {
                let byte = bytes[layout.offset(row: row, column: column)]
                let high = Int(byte >> 4), low = Int(byte & 15)
                w[column] = high <= 8 ? Int8(high / 3 - 1) : 0
                w[column + 1] = high <= 8 ? Int8(high % 3 - 1) : 0
                w[column + 2] = low <= 8 ? Int8(low / 3 - 1) : 0
                w[column + 3] = low <= 8 ? Int8(low % 3 - 1) : 0
            }
        }
    }

    public func dequantize(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                           parameters: FormatParameters, into weights: UnsafeMutableBufferPointer<Float>) throws {
        try requireCount(weights.count, rows * columns, "the output buffer")
        let (trits, scale) = try unpackTernary(blob, rows: rows, columns: columns, parameters: parameters)
        for i in 0..<trits.count { weights[i] = Float(trits[i]) * scale }
    }

    public func referenceMultiply(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                                  parameters: FormatParameters, activations: UnsafeBufferPointer<Float>,
                                  batch: Int, into output: UnsafeMutableBufferPointer<Float>) throws {
        let reference = try TernaryScalarReference(format: self, blob: blob, rows: rows, columns: columns, parameters: parameters)
        try reference.multiply(activations: activations, batch: batch, into: output)
    }

    public func prepare(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                        parameters: FormatParameters, path: KernelPath) throws -> any PreparedWeights {
        try TernaryPreparedWeights(format: self, blob: blob, rows: rows, columns: columns, parameters: parameters, path: path)
    }
}
