import CKernels

/// A matrix kernel over a row range: `y[b][m]` for m in the range and every token b (the
/// arguments carry weights, encoded activations and output). C kernels and the Swift scalar
/// references both take this shape, so workers can split rows the same way for every path.
typealias RowKernel = @Sendable (UnsafePointer<bb_matmul_args>, Range<Int>) -> Void

/// A GEMV (batch 1) and GEMM (batch > 1) pair for one kernel path.
struct KernelPair: Sendable {
    let gemv: RowKernel
    let gemm: RowKernel

    /// Wraps two C kernels.
    init(gemv: bb_matmul_kernel, gemm: bb_matmul_kernel) {
        self.gemv = { args, rows in gemv(args, rows.lowerBound, rows.upperBound) }
        self.gemm = { args, rows in gemm(args, rows.lowerBound, rows.upperBound) }
    }

    /// One Swift kernel for every batch size (the scalar reference).
    init(scalar: @escaping RowKernel) {
        gemv = scalar
        gemm = scalar
    }
}
