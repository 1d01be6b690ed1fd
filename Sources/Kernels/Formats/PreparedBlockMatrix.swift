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
        let blocks = columns / 32
        // The AVX2 Q8 kernels also read every activation block's scale (and Q8_1 sum) as floats.
        let scaleArrays = path == .avx2 ? codec.scaleArrayCount : 0
        var scratch: AlignedScratch?
        let encoded: UnsafeRawPointer
        var scales: UnsafeMutablePointer<Float>?
        if codec.passesThrough {
            encoded = UnsafeRawPointer(activations)
        } else {
            let scaleBytes = (scaleArrays * batch * blocks * MemoryLayout<Float>.stride + 63) / 64 * 64
            let buffer = AlignedScratch(byteCount: scaleBytes + tokenBytes * batch)
            let codes = buffer.pointer + scaleBytes
            if scaleArrays > 0 { scales = buffer.pointer.assumingMemoryBound(to: Float.self) }
            let codec = self.codec, columns = self.columns, path = self.path
            let scaleBase = scales
            let encodeTokens = { (tokens: Range<Int>) in
                for b in tokens {
                    codec.encode(activations + b * columns, columns: columns, into: codes + b * tokenBytes, path: path)
                    if let scaleBase {
                        let d = scaleBase + b * blocks
                        bb_q8_block_scales(codes + b * tokenBytes, blocks, tokenBytes / max(blocks, 1), d,
                                           scaleArrays == 2 ? d + batch * blocks : nil)
                    }
                }
            }
            if batch == 1 { encodeTokens(0..<1) } else { pool.parallelFor(batch) { tokens, _ in encodeTokens(tokens) } }
            scratch = buffer
            encoded = UnsafeRawPointer(codes)
        }
        var args = bb_matmul_args(weights: base, row_bytes: rowBytes, k: columns, act: encoded,
                                  act_stride: tokenBytes, batch: batch, y: output, y_stride: rows,
                                  act_d: scales.map { UnsafePointer($0) },
                                  act_s: scaleArrays == 2 ? scales.map { UnsafePointer($0 + batch * blocks) } : nil,
                                  act_scale_stride: blocks)
        let kernel = batch == 1 ? kernels.gemv : kernels.gemm
        withUnsafePointer(to: &args) { argsPointer in
            // 16-row chunks keep each worker's outputs on their own cache lines.
            pool.parallelFor(rows, granularity: 16) { range, _ in kernel(argsPointer, range) }
        }
        withExtendedLifetime(scratch) {}
    }
}
