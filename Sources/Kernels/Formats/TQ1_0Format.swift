import GGUF

/// llama.cpp's TQ1_0 (type 34): 256-weight blocks packed base 3, five trits per byte (48 bytes),
/// four more bytes of four trits, and an fp16 scale: 54 bytes (FORMATS.md 2.4). Activations: Q8_K.
public struct TQ1_0Format: TernaryBlockCodec {
    static let bytesPerBlock = 54
    static let scaleOffset = 52

    /// Makes the format.
    public init() {}

    public var id: WeightFormatID { .tq1_0 }
    public var ggmlType: GGMLType { .tq1_0 }

    public var blockSize: Int { codecBlockSize }
    public var nominalBitsPerWeight: Double { codecBitsPerWeight }
    public var activation: ActivationEncoding { codecActivation }

    public func checkShape(rows: Int, columns: Int, parameters: FormatParameters) throws {
        try codecCheckShape(rows: rows, columns: columns, parameters: parameters)
    }

    public func byteCount(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        codecByteCount(rows: rows, columns: columns, parameters: parameters)
    }

    public func ternaryRowGranularity(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        codecRowGranularity(rows: rows, columns: columns, parameters: parameters)
    }

    /// llama.cpp's reference quantizer on per-block ternary-valued weights; absmean first otherwise.
    public func quantize(_ weights: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
                         parameters: FormatParameters, into blob: UnsafeMutableRawBufferPointer) throws {
        try codecQuantize(weights, rows: rows, columns: columns, parameters: parameters, into: blob)
    }

    public func packTernary(_ trits: UnsafeBufferPointer<Int8>, rowRange: Range<Int>, rows: Int, columns: Int,
                            scale: Float, parameters: FormatParameters, into blob: UnsafeMutableRawBufferPointer) throws {
        try codecPackTernary(trits, rowRange: rowRange, rows: rows, columns: columns, scale: scale,
                             parameters: parameters, into: blob)
    }

    public func unpackTernary(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                              parameters: FormatParameters) throws -> (trits: [Int8], scale: Float) {
        try codecUnpackTernary(blob, rows: rows, columns: columns, parameters: parameters)
    }

    public func dequantize(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                           parameters: FormatParameters, into weights: UnsafeMutableBufferPointer<Float>) throws {
        try codecDequantize(blob, rows: rows, columns: columns, parameters: parameters, into: weights)
    }

    public func referenceMultiply(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                                  parameters: FormatParameters, activations: UnsafeBufferPointer<Float>,
                                  batch: Int, into output: UnsafeMutableBufferPointer<Float>) throws {
        try codecReferenceMultiply(blob, rows: rows, columns: columns, parameters: parameters,
                                   activations: activations, batch: batch, into: output)
    }

    public func prepare(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                        parameters: FormatParameters, path: KernelPath) throws -> any PreparedWeights {
        try codecPrepare(blob, rows: rows, columns: columns, parameters: parameters, path: path)
    }

    /// Packs trits most significant first and stores `ceil(v·256/243)`, so that trit n of a byte B
    /// reads back as `((B·3^n mod 256)·3) >> 8` (quantize_row_tq1_0_ref).
    private static func packed(_ codes: UnsafePointer<UInt8>, stride: Int, count: Int, extraShift: Bool) -> UInt8 {
        var v = 0
        for n in 0..<count { v = v * 3 + Int(codes[n * stride]) }
        if extraShift { v *= 3 }
        return UInt8((v * 256 + 242) / 243)
    }

    /// Trit n (0...4) of a packed byte.
    @inline(__always)
    static func trit(_ byte: UInt8, _ n: Int) -> UInt8 {
        let powers: [UInt8] = [1, 3, 9, 27, 81]
        let q = byte &* powers[n]
        return UInt8((UInt16(q) * 3) >> 8)
    }

    static func encodeBlock(codes: UnsafePointer<UInt8>, scale: Float, into block: UnsafeMutablePointer<UInt8>) {
        // qs[0..31]: elements m + 32n; qs[32..47]: 160 + m + 16n; qh[0..3]: 240 + j + 4n (4 trits).
        for m in 0..<32 { block[m] = packed(codes + m, stride: 32, count: 5, extraShift: false) }
        for m in 0..<16 { block[32 + m] = packed(codes + 160 + m, stride: 16, count: 5, extraShift: false) }
        for j in 0..<4 { block[48 + j] = packed(codes + 240 + j, stride: 4, count: 4, extraShift: true) }
        UnsafeMutableRawBufferPointer(start: block, count: bytesPerBlock).storeFloat16(scale, at: scaleOffset)
    }

    static func decodeBlock(_ block: UnsafePointer<UInt8>, into codes: UnsafeMutablePointer<UInt8>) {
        for m in 0..<32 { for n in 0..<5 { codes[m + 32 * n] = trit(block[m], n) } }
        for m in 0..<16 { for n in 0..<5 { codes[160 + m + 16 * n] = trit(block[32 + m], n) } }
        for j in 0..<4 { for n in 0..<4 { codes[240 + j + 4 * n] = trit(block[48 + j], n) } }
    }
}
