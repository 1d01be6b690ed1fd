import CKernels
import GGUF

/// Q8_0: blocks of 32 int8 codes with an fp16 scale (34 bytes); Q8_0 activations (vec_dot_q8_0_q8_0).
public struct Q8_0Format: BlockCoreFormat {
    /// Makes the format entry.
    public init() {}

    public var id: WeightFormatID { .q8_0 }
    public var ggmlType: GGMLType { .q8_0 }
    public var blockSize: Int { 32 }
    public var nominalBitsPerWeight: Double { 8.5 }
    public var activation: ActivationEncoding { .q8_0 }

    public static let core = BlockFormatCore(
        id: .q8_0, type: .q8_0, activation: .q8_0,
        quantizeRow: { x, columns, out in Q8BlockQuantizer.quantizeQ8_0(x, count: columns, into: out) },
        scalar: scalarProduct,
        avx2: KernelPair(gemv: bb_q8_0_gemv_avx2, gemm: bb_q8_0_gemm_avx2),
        portable: KernelPair(gemv: bb_q8_0_gemv_portable, gemm: bb_q8_0_gemm_portable))

    /// The reference: per block an int32 dot of the codes, then sumf += sumi · (d_w · d_a) in float
    /// (ggml's generic ggml_vec_dot_q8_0_q8_0).
    static let scalarProduct: RowKernel = { argsPointer, rows in
        let args = argsPointer.pointee
        guard let weights = args.weights, let act = args.act, let y = args.y else { return }
        for b in 0..<args.batch {
            let x = act + b * args.act_stride
            for m in rows {
                let w = weights + m * args.row_bytes
                var sum: Float = 0
                for block in 0..<args.k / 32 {
                    let wb = w + 34 * block, xb = x + 34 * block
                    var dot: Int32 = 0
                    for j in 0..<32 {
                        dot += Int32(wb.load(fromByteOffset: 2 + j, as: Int8.self)) * Int32(xb.load(fromByteOffset: 2 + j, as: Int8.self))
                    }
                    let scale = Half.toFloat(wb.loadUnaligned(as: UInt16.self)) * Half.toFloat(xb.loadUnaligned(as: UInt16.self))
                    sum += Float(dot) * scale
                }
                y[b * args.y_stride + m] = sum
            }
        }
    }
}
