import GGUF

/// bitnet.cpp's TL2 (type 39, x86 lookup-table format): triples of weights as a 4-bit magnitude and
/// a sign bit (5 bits per 3 weights), a pair-coded tail, tiled by per-shape (BM, BK) that the file
/// does not store (FORMATS.md 2.3). Activations: int8 per token feeding per-token lookup tables.
///
/// Tiling comes from `parameters.tile`, else bitnet.cpp's preset for the shape, else
/// `KernelError.missingTileConfiguration` (see `TileConfigurationTable`).
public struct TL2Format: TernaryWeightFormat {
    /// Makes the format.
    public init() {}

    public var id: WeightFormatID { .tl2 }
    public var ggmlType: GGMLType { .tl2 }
    /// K = (a multiple of BK, itself a multiple of 24) + (a tail that is a multiple of 32), so K is
    /// a multiple of 8; the tiling decides which such K are possible.
    public var blockSize: Int { 8 }
    /// 5 bits per triple; the size formula's padding adds a little for small K.
    public var nominalBitsPerWeight: Double { 5.0 / 3.0 }
    public var activation: ActivationEncoding { .lookupTable }

    /// The layout for a shape, with the tile from the parameters or bitnet.cpp's presets.
    func layout(rows: Int, columns: Int, parameters: FormatParameters) throws -> TL2Layout {
        guard rows > 0, columns > 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "the matrix is empty")
        }
        guard columns % 8 == 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "K must be a multiple of 8 (k-blocks of 24k columns plus a tail of 32j); K=\(columns)")
        }
        guard let tile = parameters.tile
            ?? TileConfigurationTable.bitnetPresets.configuration(for: .tl2, rows: rows, columns: columns) else {
            throw KernelError.missingTileConfiguration(format: id, rows: rows, columns: columns)
        }
        return try TL2Layout(rows: rows, columns: columns, tile: tile)
    }

    public func checkShape(rows: Int, columns: Int, parameters: FormatParameters) throws {
        _ = try layout(rows: rows, columns: columns, parameters: parameters)
    }

    public func byteCount(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        GGMLType.tl2.byteCount(shape: [columns, rows]) ?? 0
    }

    public func ternaryRowGranularity(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        (try? layout(rows: rows, columns: columns, parameters: parameters))?.rowsPerTile ?? rows
    }

    /// As bitnet.cpp's converter: ternary-valued input keeps `max|x|`; other input is ternarised
    /// with absmean first.
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
        let kk = layout.triplesPerBlock, c3 = layout.triplesPerRow
        // Per-row triple magnitudes and signs, then scatter them into the tile order.
        var magnitudes = [UInt8](repeating: 0, count: 32 * c3)
        var negative = [Bool](repeating: false, count: 32 * c3)
        for groupStart in stride(from: rowRange.lowerBound, to: rowRange.upperBound, by: 32) {
            let t = groupStart / layout.rowsPerTile
            let g = (groupStart % layout.rowsPerTile) / 32
            for r in 0..<32 {
                let w = trits.baseAddress! + (groupStart + r - rowRange.lowerBound) * columns
                for j in 0..<c3 {
                    let idx = 9 * Int(w[3 * j]) + 3 * Int(w[3 * j + 1]) + Int(w[3 * j + 2])
                    magnitudes[r * c3 + j] = UInt8(abs(idx))
                    negative[r * c3 + j] = idx < 0
                }
            }
            for kb in 0..<layout.kBlocks {
                for p in 0..<(kk / 2) {
                    for q in 0..<32 {
                        let r = TL2Layout.permutedRow(q)
                        let j = kb * kk + 2 * p
                        let byte = (magnitudes[r * c3 + j] << 4) | magnitudes[r * c3 + j + 1]
                        bytes[layout.magnitudeOffset(tile: t, kBlock: kb, group: g, pair: p, position: q)] = byte
                    }
                }
                for c in 0..<(kk / 8) {
                    for b in 0..<16 {
                        var word: UInt16 = 0
                        for e in 0..<8 {
                            let j = kb * kk + 8 * c + e
                            if negative[b * c3 + j] { word |= 1 << (15 - 2 * e) }
                            if negative[(16 + b) * c3 + j] { word |= 1 << (14 - 2 * e) }
                        }
                        blob.storeBytes(of: word.littleEndian,
                                        toByteOffset: layout.signWordOffset(tile: t, kBlock: kb, group: g, chunk: c, word: b),
                                        as: UInt16.self)
                    }
                }
            }
            for kb2 in 0..<(layout.twoColumns / 32) {
                for p in 0..<8 {
                    for q in 0..<32 {
                        let r = TL2Layout.permutedRow(q)
                        let w = trits.baseAddress! + (groupStart + r - rowRange.lowerBound) * columns + layout.threeColumns + 32 * kb2 + 4 * p
                        let high = UInt8(3 * Int(w[0]) + Int(w[1]) + 4), low = UInt8(3 * Int(w[2]) + Int(w[3]) + 4)
                        bytes[layout.pairOffset(tile: t, kBlock: kb2, group: g, pair: p, position: q)] = (high << 4) | low
                    }
                }
            }
        }
        // The converter zero-pads to F, gguf-py to 32; α starts the 32-byte trailer (FORMATS.md 2.3.5).
        blob.zero(layout.dataBytes..<layout.byteCount)
        blob.storeFloat32(scale, at: layout.scaleOffset)
    }

    public func unpackTernary(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                              parameters: FormatParameters) throws -> (trits: [Int8], scale: Float) {
        let layout = try self.layout(rows: rows, columns: columns, parameters: parameters)
        try requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        var trits = [Int8](repeating: 0, count: rows * columns)
        trits.withUnsafeMutableBufferPointer { decodeRows(blob, layout: layout, rows: 0..<rows, into: $0.baseAddress!) }
        return (trits, blob.float32(at: layout.scaleOffset))
    }

    /// Decodes rows into `out` (row-major). Magnitudes 14-15 and pair codes 9-15, which no writer
    /// produces, read as zeros, as bitnet.cpp's lookup tables (zero entries) do.
    func decodeRows(_ blob: UnsafeRawBufferPointer, layout: TL2Layout, rows: Range<Int>, into out: UnsafeMutablePointer<Int8>) {
        let bytes = blob.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let kk = layout.triplesPerBlock
        for (local, m) in rows.enumerated() {
            let t = m / layout.rowsPerTile
            let inTile = m % layout.rowsPerTile
            let g = inTile / 32, r = inTile % 32
            let q = TL2Layout.permutedRow(r)
            let w = out + local * layout.columns
            for j in 0..<layout.triplesPerRow {
                let kb = j / kk, jj = j % kk
                let byte = bytes[layout.magnitudeOffset(tile: t, kBlock: kb, group: g, pair: jj / 2, position: q)]
                let magnitude = Int(jj % 2 == 0 ? byte >> 4 : byte & 15)
                let wordOffset = layout.signWordOffset(tile: t, kBlock: kb, group: g, chunk: (jj % kk) / 8, word: r % 16)
                let word = UInt16(littleEndian: blob.loadUnaligned(fromByteOffset: wordOffset, as: UInt16.self))
                let e = jj % 8
                let negative = (word >> (r < 16 ? 15 - 2 * e : 14 - 2 * e)) & 1 == 1
                var (w0, w1, w2) = magnitude < 14 ? TL2Layout.magnitudeTrits[magnitude] : (0, 0, 0)
                if negative { w0 = -w0; w1 = -w1; w2 = -w2 }
                w[3 * j] = w0
                w[3 * j + 1] = w1
                w[3 * j + 2] = w2
            }
            for i in 0..<(layout.twoColumns / 2) {
                let kb2 = i / 16, ii = i % 16
                let byte = bytes[layout.pairOffset(tile: t, kBlock: kb2, group: g, pair: ii / 2, position: q)]
                let index = Int(ii % 2 == 0 ? byte >> 4 : byte & 15)
                let column = layout.threeColumns + 2 * i
                w[column] = index <= 8 ? Int8(index / 3 - 1) : 0
                w[column + 1] = index <= 8 ? Int8(index % 3 - 1) : 0
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
