import GGUF

/// bitnet.cpp's I2_S (type 36), x86 layout: 2-bit codes `w + 1` in 128-weight blocks of 32 bytes
/// cut from the flattened tensor, then one f32 scale in a 32-byte trailer (FORMATS.md 2.1,
/// quantize_i2_s in bitnet.cpp src/ggml-bitnet-mad.cpp). Activations: int8 per token.
///
/// Flat layout: element e = m·K + k lies in 32-element group G = e / 32, stored at shift
/// 6 - 2·(G % 4) of bytes 32·(G / 4) ..< +32, lane e % 32. Row m starts at element m·K, so when
/// K % 128 != 0 rows start and end inside blocks (K % 128 == 64, the 3B ffn_down K = 8640: an
/// even row ends with groups 0-1 of a block and the next odd row begins with groups 2-3 of the
/// same 32 bytes). We read and write exactly that. bitnet.cpp's own dot kernel reads floor(K/128)
/// blocks from byte m·K/4 instead, which drops columns and misreads odd rows of such tensors.
///
/// We write the 28 bytes after the scale as zeros. llama-quantize leaves whatever its work buffer
/// held there (in the bitnet-tiny fixture: the previous tensor's codes at the same offsets); no
/// reader looks at them.
public struct I2SFormat: TernaryWeightFormat {
    /// Weights per block: byte j of a block holds elements j, j+32, j+64, j+96 at shifts 6, 4, 2, 0
    /// (bitnet.cpp quantize_i2_s).
    public static let weightsPerBlock = 128
    /// Weights per group: one 2-bit lane of a block's 32 bytes, the unit a row may start or end on.
    public static let weightsPerGroup = 32

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
        let (_, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, columns <= 1 << 20 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "the matrix is too large")
        }
        // Rows must start on a 32-element group, and the flat tensor must end on a whole block.
        guard columns % Self.weightsPerGroup == 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns,
                reason: "I2_S needs K % 32 == 0 (rows start on a 32-weight group of a 128-weight block); K=\(columns) leaves \(columns % 32)")
        }
        guard (rows * columns) % Self.weightsPerBlock == 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns,
                reason: "I2_S needs M*K % 128 == 0 (the flat tensor is cut into 128-weight blocks); M=\(rows) x K=\(columns) = \(rows * columns) leaves \((rows * columns) % 128)")
        }
    }

    public func byteCount(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        rows * columns / 4 + 32
    }

    /// Rows per slice so that every slice starts on a 128-weight block: 128 / gcd(K, 128) (1 when
    /// K % 128 == 0, 2 for K = 8640). Slices then own whole blocks and never share a byte.
    public func ternaryRowGranularity(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        var (a, b) = (columns, Self.weightsPerBlock)
        while b != 0 { (a, b) = (b, a % b) }
        return a > 0 ? Self.weightsPerBlock / a : 1
    }

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
        let granularity = ternaryRowGranularity(rows: rows, columns: columns, parameters: parameters)
        try requireRowRange(rowRange, rows: rows, granularity: granularity, tritCount: trits.count, columns: columns)
        try requireScale(scale)
        try requireTrits(UnsafeBufferPointer(rebasing: trits[0..<(rowRange.count * columns)]))
        // The slice covers flat elements [lower·K, upper·K), both on block boundaries (granularity
        // and M·K % 128 == 0), so its blocks are whole and the trits are contiguous.
        let firstBlock = rowRange.lowerBound * columns / Self.weightsPerBlock
        let blocks = rowRange.count * columns / Self.weightsPerBlock
        let destination = blob.baseAddress!.assumingMemoryBound(to: UInt8.self) + firstBlock * 32
        for block in 0..<blocks {
            let t = trits.baseAddress! + block * Self.weightsPerBlock
            let out = destination + block * 32
            for j in 0..<32 {
                let c0 = UInt8(bitPattern: t[j] &+ 1), c1 = UInt8(bitPattern: t[j + 32] &+ 1)
                let c2 = UInt8(bitPattern: t[j + 64] &+ 1), c3 = UInt8(bitPattern: t[j + 96] &+ 1)
                out[j] = (c0 << 6) | (c1 << 4) | (c2 << 2) | c3
            }
        }
        let trailer = rows * columns / 4
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

    /// Decodes rows `rows` into `out` (row-major) as `code - 1`, reading the flat layout group by
    /// group (row m starts at group m·K/32, which may lie inside a block). Code 3, which bitnet.cpp
    /// never writes, decodes to 2: what bitnet.cpp's kernel (and ours) multiplies with.
    func decodeRows(_ blob: UnsafeRawBufferPointer, rows: Range<Int>, columns: Int, into out: UnsafeMutablePointer<Int8>) {
        let bytes = blob.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let groupsPerRow = columns / Self.weightsPerGroup
        for (local, row) in rows.enumerated() {
            let t = out + local * columns
            for g in 0..<groupsPerRow {
                let group = row * groupsPerRow + g
                let source = bytes + (group / 4) * 32
                let shift = UInt8(6 - 2 * (group % 4))
                let destination = t + g * Self.weightsPerGroup
                for j in 0..<Self.weightsPerGroup { destination[j] = Int8((source[j] >> shift) & 3) - 1 }
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
