import CKernels
import GGUF

/// Q4_1: blocks of 32 4-bit codes with an fp16 scale and minimum (20 bytes); Q8_1 activations (vec_dot_q4_1_q8_1).
public struct Q4_1Format: BlockCoreFormat {
    /// Makes the format entry.
    public init() {}

    public var id: WeightFormatID { .q4_1 }
    public var ggmlType: GGMLType { .q4_1 }
    public var blockSize: Int { 32 }
    public var nominalBitsPerWeight: Double { 5 }
    public var activation: ActivationEncoding { .q8_1 }

    public static let core = BlockFormatCore(
        id: .q4_1, type: .q4_1, activation: .q8_1,
        quantizeRow: { x, columns, out in Q4_1Format.quantizeRow(x, columns: columns, into: out) },
        scalar: scalarProduct,
        avx2: KernelPair(gemv: bb_q4_1_gemv_avx2, gemm: bb_q4_1_gemm_avx2),
        portable: KernelPair(gemv: bb_q4_1_gemv_portable, gemm: bb_q4_1_gemm_portable))

    /// llama.cpp's quantize_row_q4_1_ref: d = (max - min)/15, m = min, code = min(15, trunc((x - min)/d + 0.5)).
    static func quantizeRow(_ x: UnsafePointer<Float>, columns: Int, into out: UnsafeMutableRawPointer) {
        for block in 0..<columns / 32 {
            let v = x + 32 * block, b = out + 20 * block
            var low = Float.greatestFiniteMagnitude, high = -Float.greatestFiniteMagnitude
            for j in 0..<32 {
                if v[j] < low { low = v[j] }
                if v[j] > high { high = v[j] }
            }
            let d = (high - low) / 15
            let id: Float = d != 0 ? 1 / d : 0
            b.storeBytes(of: Half.fromFloat(d), as: UInt16.self)
            b.storeBytes(of: Half.fromFloat(low), toByteOffset: 2, as: UInt16.self)
            for j in 0..<16 {
                let first = min(15, Int((v[j] - low) * id + 0.5))
                let second = min(15, Int((v[j + 16] - low) * id + 0.5))
                b.storeBytes(of: UInt8(first | second << 4), toByteOffset: 4 + j, as: UInt8.self)
            }
        }
    }

    /// The reference: per block sumf += (d_w · d_a) · sumi + m_w · s_a in float, where sumi is the
    /// int32 dot of the unsigned codes with the activation codes (ggml's vec_dot_q4_1_q8_1).
    static let scalarProduct: RowKernel = { argsPointer, rows in
        let args = argsPointer.pointee
        guard let weights = args.weights, let act = args.act, let y = args.y else { return }
        for b in 0..<args.batch {
            let x = act + b * args.act_stride
            for m in rows {
                let w = weights + m * args.row_bytes
                var sum: Float = 0
                for block in 0..<args.k / 32 {
                    let wb = w + 20 * block, xb = x + 36 * block
                    var dot: Int32 = 0
                    for j in 0..<16 {
                        let q = wb.load(fromByteOffset: 4 + j, as: UInt8.self)
                        dot += Int32(q & 15) * Int32(xb.load(fromByteOffset: 4 + j, as: Int8.self))
                        dot += Int32(q >> 4) * Int32(xb.load(fromByteOffset: 20 + j, as: Int8.self))
                    }
                    let scale = Half.toFloat(wb.loadUnaligned(as: UInt16.self)) * Half.toFloat(xb.loadUnaligned(as: UInt16.self))
                    let offset = Half.toFloat(wb.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
                        * Half.toFloat(xb.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
                    sum += scale * Float(dot) + offset
                }
                y[b * args.y_stride + m] = sum
            }
        }
    }
}
