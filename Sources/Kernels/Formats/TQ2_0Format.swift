import GGUF

/// llama.cpp's TQ2_0 (type 35): 256-weight blocks of 2-bit codes `w + 1` (64 bytes) and an fp16
/// scale, 66 bytes (FORMATS.md 2.4). Activations: Q8_K.
public struct TQ2_0Format: TernaryBlockCodec {
    static let bytesPerBlock = 66
    static let scaleOffset = 64

    /// Makes the format.
    public init() {}

    public var id: WeightFormatID { .tq2_0 }
    public var ggmlType: GGMLType { .tq2_0 }

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

    /// Half h (elements 128h..128h+127), byte m: element `128h + m + 32n` in bits 2n+1:2n, so the
    /// first element sits in the low bits (the opposite of I2_S).
    static func encodeBlock(codes: UnsafePointer<UInt8>, scale: Float, into block: UnsafeMutablePointer<UInt8>) {
        for half in 0..<2 {
            for m in 0..<32 {
                let base = 128 * half + m
                block[32 * half + m] = codes[base] | (codes[base + 32] << 2) | (codes[base + 64] << 4) | (codes[base + 96] << 6)
            }
        }
        UnsafeMutableRawBufferPointer(start: block, count: bytesPerBlock).storeFloat16(scale, at: scaleOffset)
    }

    static func decodeBlock(_ block: UnsafePointer<UInt8>, into codes: UnsafeMutablePointer<UInt8>) {
        for half in 0..<2 {
            for m in 0..<32 {
                let byte = block[32 * half + m]
                for n in 0..<4 { codes[128 * half + m + 32 * n] = (byte >> (2 * n)) & 3 }
            }
        }
    }
}
