import CKernels
import GGUF

/// Q4_0: blocks of 32 4-bit codes (offset 8) with an fp16 scale (18 bytes); Q8_0 activations (vec_dot_q4_0_q8_0).
public struct Q4_0Format: BlockCoreFormat {
    /// Makes the format entry.
    public init() {}

    public var id: WeightFormatID { .q4_0 }
    public var ggmlType: GGMLType { .q4_0 }
    public var blockSize: Int { 32 }
    public var nominalBitsPerWeight: Double { 4.5 }
    public var activation: ActivationEncoding { .q8_0 }

    public static let core = BlockFormatCore(
        id: .q4_0, type: .q4_0, activation: .q8_0,
        quantizeRow: { x, columns, out in Q4_0Format.quantizeRow(x, columns: columns, into: out) },
        scalar: scalarProduct,
        avx2: KernelPair(gemv: bb_q4_0_gemv_avx2, gemm: bb_q4_0_gemm_avx2),
        portable: KernelPair(gemv: bb_q4_0_gemv_portable, gemm: bb_q4_0_gemm_portable))

    /// llama.cpp's quantize_row_q4_0_ref: d = (the signed value of largest magnitude) / -8,
    /// code = min(15, trunc(x/d + 8.5)), element j in the low nibble of byte j, j+16 in the high one.
    static func quantizeRow(_ x: UnsafePointer<Float>, columns: Int, into out: UnsafeMutableRawPointer) {
        for block in 0..<columns / 32 {
            let v = x + 32 * block, b = out + 18 * block
            var amax: Float = 0, extreme: Float = 0
            for j in 0..<32 where amax < abs(v[j]) {
                amax = abs(v[j])
                extreme = v[j]
            }
            let d = extreme / -8
            let id: Float = d != 0 ? 1 / d : 0
            b.storeBytes(of: Half.fromFloat(d), as: UInt16.self)
            for j in 0..<16 {
                let low = min(15, Int(v[j] * id + 8.5))
                let high = min(15, Int(v[j + 16] * id + 8.5))
                b.storeBytes(of: UInt8(low | high << 4), toByteOffset: 2 + j, as: UInt8.self)
            }
        }
    }

    /// The reference: per block the int32 dot of (code - 8) with the activation codes (byte j holds
    /// elements j and j+16), then sumf += sumi · (d_w · d_a) in float (ggml's vec_dot_q4_0_q8_0).
    static let scalarProduct: RowKernel = { argsPointer, rows in
        let args = argsPointer.pointee
        guard let weights = args.weights, let act = args.act, let y = args.y else { return }
        for b in 0..<args.batch {
            let x = act + b * args.act_stride
            for m in rows {
                let w = weights + m * args.row_bytes
                var sum: Float = 0
                for block in 0..<args.k / 32 {
                    let wb = w + 18 * block, xb = x + 34 * block
                    var dot: Int32 = 0
                    for j in 0..<16 {
                        let q = wb.load(fromByteOffset: 2 + j, as: UInt8.self)
                        dot += (Int32(q & 15) - 8) * Int32(xb.load(fromByteOffset: 2 + j, as: Int8.self))
                        dot += (Int32(q >> 4) - 8) * Int32(xb.load(fromByteOffset: 18 + j, as: Int8.self))
                    }
                    let scale = Half.toFloat(wb.loadUnaligned(as: UInt16.self)) * Half.toFloat(xb.loadUnaligned(as: UInt16.self))
                    sum += Float(dot) * scale
                }
                y[b * args.y_stride + m] = sum
            }
        }
    }
}
