import CKernels
import GGUF

/// F32: plain IEEE single-precision weights, float activations (ggml's vec_dot_f32).
public struct F32Format: BlockCoreFormat {
    /// Makes the format entry.
    public init() {}

    public var id: WeightFormatID { .f32 }
    public var ggmlType: GGMLType { .f32 }
    public var blockSize: Int { 1 }
    public var nominalBitsPerWeight: Double { 32 }
    public var activation: ActivationEncoding { .f32 }

    public static let core = BlockFormatCore(
        id: .f32, type: .f32, activation: .f32,
        quantizeRow: { x, columns, out in out.copyMemory(from: x, byteCount: 4 * columns) },
        scalar: scalarProduct,
        avx2: KernelPair(gemv: bb_f32_gemv_avx2, gemm: bb_f32_gemm_avx2),
        portable: KernelPair(gemv: bb_f32_gemv_portable, gemm: bb_f32_gemm_portable))

    /// The reference: products in float, summed in double in index order (ggml's generic
    /// ggml_vec_dot_f32 accumulates in ggml_float = double).
    static let scalarProduct: RowKernel = { argsPointer, rows in
        let args = argsPointer.pointee
        guard let weights = args.weights, let act = args.act, let y = args.y else { return }
        for b in 0..<args.batch {
            let x = act + b * args.act_stride
            for m in rows {
                let w = weights + m * args.row_bytes
                var sum: Double = 0
                for i in 0..<args.k {
                    let product = w.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
                        * x.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
                    sum += Double(product)
                }
                y[b * args.y_stride + m] = Float(sum)
            }
        }
    }
}
