import GGUF

/// bitnet.cpp's I2_S (type 36), x86 layout: 2-bit codes `w + 1` in 128-weight blocks of 32 bytes,
/// then one f32 scale in a 32-byte trailer (FORMATS.md 2.1). Activations: int8 per token.
///
/// We write the 28 bytes after the scale as zeros. llama-quantize leaves whatever its work buffer
/// held there (in the bitnet-tiny fixture: the previous tensor's codes at the same offsets); no
/// reader looks at them.
public struct I2SFormat: TernaryWeightFormat {
    /// Weights per block: byte j of a block holds elements j, j+32, j+64, j+96 at shifts 6, 4, 2, 0
    /// (bitnet.cpp quantize_i2_s).
    public static let weightsPerBlock = 128

    /// Makes the format.
    public init() {}

    public var id: WeightFormatID { .i2_s }
    public var ggmlType: GGMLType { .i2_s }
    public var blockSize: Int { Self.weightsPerBlock }
    public var nominalBitsPerWeight: Double { 2 }
    public var activation: ActivationEncoding { .int8PerToken }

    public func checkShape(rows: Int, columns: Int, parameters: FormatParameters) throws {
        guard rows > 0, columns > 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "the matrix is empty")
        }
        // Blocks are cut from the flat tensor, and bitnet.cpp's kernel ignores a partial block.
        guard columns % Self.weightsPerBlock == 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns,
                reason: "I2_S needs K to be a multiple of 128 (bitnet.cpp's x86 blocks); K=\(columns) leaves \(columns % 128)")
        }
        let (_, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, columns <= 1 << 20 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "the matrix is too large")
        }
    }

    public func byteCount(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        rows * columns / 4 + 32
    }

    public func ternaryRowGranularity(rows: Int, columns: Int, parameters: FormatParameters) -> Int { 1 }

    /// llama-quantize's I2_S: ternary-valued input keeps its signs and `max|x|`; other input is
    /// ternarised with absmean first (the rule of FORMATS.md section 3).
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
        try checkShape(rows: rows, columns: columns, parameters: parameters)
        try requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        try requireRowRange(rowRange, rows: rows, granularity: 1, tritCount: trits.count, columns: columns)
        try requireScale(scale)
        try requireTrits(UnsafeBufferPointer(rebasing: trits[0..<(rowRange.count * columns)]))
        let bytesPerRow = columns / 4
        for (local, row) in rowRange.enumerated() {
            let source = trits.baseAddress! + local * columns
            let destination = blob.baseAddress!.assumingMemoryBound(to: UInt8.self) + row * bytesPerRow
            for block in 0..<(columns / Self.weightsPerBlock) {
                let t = source + block * Self.weightsPerBlock
                let out = destination + block * 32
                for j in 0..<32 {
                    let c0 = UInt8(bitPattern: t[j] &+ 1), c1 = UInt8(bitPattern: t[j + 32] &+ 1)
                    let c2 = UInt8(bitPattern: t[j + 64] &+ 1), c3 = UInt8(bitPattern: t[j + 96] &+ 1)
                    out[j] = (c0 << 6) | (c1 << 4) | (c2 << 2) | c3
                }
            }
        }
        let trailer = rows * bytesPerRow
        blob.zero(trailer..<(trailer + 32))
        blob.storeFloat32(scale, at: trailer)
    }

    public func unpackTernary(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                              parameters: FormatParameters) throws -> (trits: [Int8], scale: Float) {
        try checkShape(rows: rows, columns: columns, parameters: parameters)
        try requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        var trits = [Int8](repeating: 0, count: rows * columns)
        trits.withUnsafeMutableBufferPointer { decodeRows(blob, rows: 0..<rows, columns: columns, into: $0.baseAddress!) }
        if let bad = trits.firstIndex(of: 2) {
            throw KernelError.invalidData(format: id, reason: "row \(bad / columns) holds code 3, which I2_S never writes")
        }
        return (trits, blob.float32(at: rows * columns / 4))
    }

    /// Decodes rows `rows` into `out` (row-major) as `code - 1`. Code 3, which bitnet.cpp never
    /// writes, decodes to 2: what bitnet.cpp's kernel (and ours) multiplies with.
    func decodeRows(_ blob: UnsafeRawBufferPointer, rows: Range<Int>, columns: Int, into out: UnsafeMutablePointer<Int8>) {
        let bytesPerRow = columns / 4
        for (local, row) in rows.enumerated() {
            let source = blob.baseAddress!.assumingMemoryBound(to: UInt8.self) + row * bytesPerRow
            let t = out + local * columns
            for block in 0..<(columns / Self.weightsPerBlock) {
                let bytes = source + block * 32
                let base = block * Self.weightsPerBlock
                for j in 0..<32 {
                    let b = bytes[j]
                    t[base + j] = Int8(b >> 6) - 1
                    t[base + j + 32] = Int8((b >> 4) & 3) - 1
                    t[base + j + 64] = Int8((b >> 2) & 3) - 1
                    t[base + j + 96] = Int8(b & 3) - 1
                }
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
