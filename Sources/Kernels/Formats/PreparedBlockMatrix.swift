import CKernels

/// A baseline-format matrix (F32, F16, Q8_0, Q4_0, Q4_1) ready for its kernels: the standard blob
/// read in place (row-major blocks are already what the kernels stream), the kernel pair of the
/// chosen path, and the activation encoder the format consumes.
final class PreparedBlockMatrix: PreparedWeights, @unchecked Sendable {
    let format: WeightFormatID
    let rows: Int
    let columns: Int
    let weightBytes: Int
    let path: KernelPath
    private let base: UnsafeRawPointer
    private let rowBytes: Int
    private let codec: ActivationCodec
    private let kernels: KernelPair

    init(format: WeightFormatID, base: UnsafeRawPointer, rows: Int, columns: Int, rowBytes: Int,
         path: KernelPath, codec: ActivationCodec, kernels: KernelPair) {
        self.format = format
        self.base = base
        self.rows = rows
        self.columns = columns
        self.rowBytes = rowBytes
        self.weightBytes = rows * rowBytes
        self.path = path
        self.codec = codec
        self.kernels = kernels
    }

    func multiply(_ activations: UnsafePointer<Float>, batch: Int,
                  into output: UnsafeMutablePointer<Float>, pool: WorkerPool) {
        precondition(batch >= 1, "batch must be at least 1")
        let tokenBytes = codec.bytesPerToken(columns: columns)
        var scratch: AlignedScratch?
        let encoded: UnsafeRawPointer
        if codec.passesThrough {
            encoded = UnsafeRawPointer(activations)
        } else {
            let buffer = AlignedScratch(byteCount: tokenBytes * batch)
            let codec = self.codec, columns = self.columns, path = self.path
            if batch == 1 {
                codec.encode(activations, columns: columns, into: buffer.pointer, path: path)
            } else {
                pool.parallelFor(batch) { tokens, _ in
                    for b in tokens {
                        codec.encode(activations + b * columns, columns: columns,
                                     into: buffer.pointer + b * tokenBytes, path: path)
                    }
                }
            }
            scratch = buffer
            encoded = UnsafeRawPointer(buffer.pointer)
        }
        var args = bb_matmul_args(weights: base, row_bytes: rowBytes, k: columns, act: encoded,
                                  act_stride: tokenBytes, batch: batch, y: output, y_stride: rows)
        let kernel = batch == 1 ? kernels.gemv : kernels.gemm
        withUnsafePointer(to: &args) { argsPointer in
            // 16-row chunks keep each worker's outputs on their own cache lines.
            pool.parallelFor(rows, granularity: 16) { range, _ in kernel(argsPointer, range) }
        }
        withExtendedLifetime(scratch) {}
    }
}
