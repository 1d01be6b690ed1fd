import CKernels
import GGUF

/// F16: IEEE half-precision weights; activations rounded to half as ggml does (vec_dot_f16).
public struct F16Format: BlockCoreFormat {
    /// Makes the format entry.
    public init() {}

    public var id: WeightFormatID { .f16 }
    public var ggmlType: GGMLType { .f16 }
    public var blockSize: Int { 1 }
    public var nominalBitsPerWeight: Double { 16 }
    public var activation: ActivationEncoding { .f16 }

    public static let core = BlockFormatCore(
        id: .f16, type: .f16, activation: .f16,
        quantizeRow: { x, columns, out in
            for i in 0..<columns { out.storeBytes(of: Half.fromFloat(x[i]), toByteOffset: 2 * i, as: UInt16.self) }
        },
        scalar: scalarProduct,
        avx2: KernelPair(gemv: bb_f16_gemv_avx2, gemm: bb_f16_gemm_avx2),
        portable: KernelPair(gemv: bb_f16_gemv_portable, gemm: bb_f16_gemm_portable))

    /// The reference: half × half-rounded activation (exact in float), summed in double in index
    /// order, as ggml's generic ggml_vec_dot_f16.
    static let scalarProduct: RowKernel = { argsPointer, rows in
        let args = argsPointer.pointee
        guard let weights = args.weights, let act = args.act, let y = args.y else { return }
        for b in 0..<args.batch {
            let x = act + b * args.act_stride
            for m in rows {
                let w = weights + m * args.row_bytes
                var sum: Double = 0
                for i in 0..<args.k {
                    let weight = Half.toFloat(w.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    sum += Double(weight * x.loadUnaligned(fromByteOffset: 4 * i, as: Float.self))
                }
                y[b * args.y_stride + m] = Float(sum)
            }
        }
    }
}
