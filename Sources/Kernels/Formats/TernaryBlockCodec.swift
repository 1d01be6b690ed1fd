/// What TQ1_0 and TQ2_0 share: 256-weight blocks with an fp16 scale, quantized by llama.cpp's
/// reference quantizers (FORMATS.md 2.4), and the trit packing both build on.
protocol TernaryBlockCodec: TernaryWeightFormat {
    /// Bytes per 256-weight block.
    static var bytesPerBlock: Int { get }
    /// Offset of the fp16 scale inside a block.
    static var scaleOffset: Int { get }
    /// Writes one block's codes (`w + 1` ∈ {0, 1, 2}, 256 of them) and its scale.
    static func encodeBlock(codes: UnsafePointer<UInt8>, scale: Float, into block: UnsafeMutablePointer<UInt8>)
    /// Reads one block's 256 codes.
    static func decodeBlock(_ block: UnsafePointer<UInt8>, into codes: UnsafeMutablePointer<UInt8>)
}

extension TernaryBlockCodec {
    var codecBlockSize: Int { 256 }
    var codecActivation: ActivationEncoding { .q8_K }
    var codecBitsPerWeight: Double { Double(Self.bytesPerBlock * 8) / 256 }

    func codecCheckShape(rows: Int, columns: Int, parameters: FormatParameters) throws {
        guard rows > 0, columns > 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "the matrix is empty")
        }
        guard columns % 256 == 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns,
                reason: "\(id.rawValue.uppercased()) needs K to be a multiple of 256 (QK_K blocks); K=\(columns) leaves \(columns % 256)")
        }
        let (_, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, columns <= 1 << 20 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "the matrix is too large")
        }
    }

    func codecByteCount(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        rows * (columns / 256) * Self.bytesPerBlock
    }

    func codecRowGranularity(rows: Int, columns: Int, parameters: FormatParameters) -> Int { 1 }

    /// llama.cpp's `quantize_row_tq*_0_ref` on weights that are ternary-valued per block (bit-exact
    /// with llama-quantize): `d = max|x|`, `code = lroundf(x/d) + 1`, d stored as fp16. Weights that
    /// are not ternary-valued are first ternarised with absmean (per tensor), as for every ternary format.
    func codecQuantize(_ weights: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
                  parameters: FormatParameters, into blob: UnsafeMutableRawBufferPointer) throws {
        try checkShape(rows: rows, columns: columns, parameters: parameters)
        try requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        try requireCount(weights.count, rows * columns, "the weight buffer")
        let values = UnsafeBufferPointer(rebasing: weights[0..<(rows * columns)])
        guard Ternarize.isTernaryValued(values, groupSize: 256) else {
            var trits = [Int8](repeating: 0, count: rows * columns)
            let alpha = trits.withUnsafeMutableBufferPointer { Ternarize.absmean(values, into: $0) }
            try trits.withUnsafeBufferPointer {
                try packTernary($0, rowRange: 0..<rows, rows: rows, columns: columns, scale: alpha,
                                parameters: parameters, into: blob)
            }
            return
        }
        var codes = [UInt8](repeating: 0, count: 256)
        let out = blob.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for block in 0..<(rows * columns / 256) {
            let x = values.baseAddress! + block * 256
            var amax: Float = 0
            for j in 0..<256 { amax = max(amax, abs(x[j])) }
            let inverse: Float = amax != 0 ? 1 / amax : 0
            for j in 0..<256 {
                let rounded = (x[j] * inverse).rounded(.toNearestOrAwayFromZero)  // lroundf
                codes[j] = UInt8(min(max(Int(rounded) + 1, 0), 2))
            }
            codes.withUnsafeBufferPointer {
                Self.encodeBlock(codes: $0.baseAddress!, scale: amax, into: out + block * Self.bytesPerBlock)
            }
        }
    }

    func codecPackTernary(_ trits: UnsafeBufferPointer<Int8>, rowRange: Range<Int>, rows: Int, columns: Int,
                     scale: Float, parameters: FormatParameters, into blob: UnsafeMutableRawBufferPointer) throws {
        try checkShape(rows: rows, columns: columns, parameters: parameters)
        try requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        try requireRowRange(rowRange, rows: rows, granularity: 1, tritCount: trits.count, columns: columns)
        try requireScale(scale)
        try requireTrits(UnsafeBufferPointer(rebasing: trits[0..<(rowRange.count * columns)]))
        var codes = [UInt8](repeating: 0, count: 256)
        let blocksPerRow = columns / 256
        let out = blob.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for block in 0..<(rowRange.count * blocksPerRow) {
            let t = trits.baseAddress! + block * 256
            var nonzero = false
            for j in 0..<256 {
                codes[j] = UInt8(bitPattern: t[j] &+ 1)
                nonzero = nonzero || t[j] != 0
            }
            // llama-quantize of W = w·scale gives d = block absmax: fp16(scale), or 0 for a zero block.
            let destination = out + (rowRange.lowerBound * blocksPerRow + block) * Self.bytesPerBlock
            codes.withUnsafeBufferPointer {
                Self.encodeBlock(codes: $0.baseAddress!, scale: nonzero ? scale : 0, into: destination)
            }
        }
    }

    func codecUnpackTernary(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                       parameters: FormatParameters) throws -> (trits: [Int8], scale: Float) {
        try checkShape(rows: rows, columns: columns, parameters: parameters)
        try requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        let blocks = rows * columns / 256
        var trits = [Int8](repeating: 0, count: rows * columns)
        var scales = [Float](repeating: 0, count: blocks)
        trits.withUnsafeMutableBufferPointer { t in
            scales.withUnsafeMutableBufferPointer { d in
                decodeRows(blob, rows: 0..<rows, columns: columns, into: t.baseAddress!, blockScales: d.baseAddress!)
            }
        }
        var common: Float = 0
        for block in 0..<blocks {
            let d = scales[block]
            if d == 0 {
                for j in 0..<256 { trits[block * 256 + j] = 0 }
                continue
            }
            if common == 0 { common = d }
            guard d == common else {
                throw KernelError.invalidData(format: id, reason: "block \(block) has scale \(d), block scales so far were \(common): not one ternary tensor")
            }
            for j in 0..<256 where trits[block * 256 + j] > 1 {
                throw KernelError.invalidData(format: id, reason: "block \(block) holds code 3, which is not a trit")
            }
        }
        return (trits, common)
    }

    /// Decodes rows into trits `code - 1` (row-major) and their block scales (`columns/256` per row).
    func decodeRows(_ blob: UnsafeRawBufferPointer, rows: Range<Int>, columns: Int,
                    into out: UnsafeMutablePointer<Int8>, blockScales: UnsafeMutablePointer<Float>) {
        let blocksPerRow = columns / 256
        var codes = [UInt8](repeating: 0, count: 256)
        let bytes = blob.baseAddress!.assumingMemoryBound(to: UInt8.self)
        codes.withUnsafeMutableBufferPointer { c in
            for local in 0..<(rows.count * blocksPerRow) {
                let block = rows.lowerBound * blocksPerRow + local
                let source = bytes + block * Self.bytesPerBlock
                Self.decodeBlock(source, into: c.baseAddress!)
                for j in 0..<256 { out[local * 256 + j] = Int8(c[j]) - 1 }
                blockScales[local] = blob.float16(at: block * Self.bytesPerBlock + Self.scaleOffset)
            }
        }
    }

    func codecDequantize(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                    parameters: FormatParameters, into weights: UnsafeMutableBufferPointer<Float>) throws {
        try checkShape(rows: rows, columns: columns, parameters: parameters)
        try requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        try requireCount(weights.count, rows * columns, "the output buffer")
        var trits = [Int8](repeating: 0, count: 256)
        var scale: Float = 0
        trits.withUnsafeMutableBufferPointer { t in
            for block in 0..<(rows * columns / 256) {
                // llama.cpp dequantize_row_tq*_0: (code - 1) * d.
                decodeRows(blob, rows: block..<(block + 1), columns: 256, into: t.baseAddress!, blockScales: &scale)
                for j in 0..<256 { weights[block * 256 + j] = Float(t[j]) * scale }
            }
        }
    }

    func codecReferenceMultiply(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                           parameters: FormatParameters, activations: UnsafeBufferPointer<Float>,
                           batch: Int, into output: UnsafeMutableBufferPointer<Float>) throws {
        let reference = try TernaryScalarReference(format: self, blob: blob, rows: rows, columns: columns, parameters: parameters)
        try reference.multiply(activations: activations, batch: batch, into: output)
    }

    func codecPrepare(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                 parameters: FormatParameters, path: KernelPath) throws -> any PreparedWeights {
        try TernaryPreparedWeights(format: self, blob: blob, rows: rows, columns: columns, parameters: parameters, path: path)
    }
}
