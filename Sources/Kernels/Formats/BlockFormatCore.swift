import CKernels
import GGUF

/// What the five baseline formats share: rows of whole llama.cpp blocks with no trailer, shape
/// and size checks, row-by-row quantization, block decoding, the scalar reference product and
/// `prepare`. Each format entry supplies its block quantizer, scalar kernel and C kernels.
public struct BlockFormatCore: Sendable {
    let id: WeightFormatID
    let type: GGMLType
    let activation: ActivationEncoding
    /// Packs one row of `columns` floats (finite, a whole number of blocks) into its bytes.
    let quantizeRow: @Sendable (UnsafePointer<Float>, Int, UnsafeMutableRawPointer) -> Void
    let scalar: RowKernel
    let avx2: KernelPair
    let portable: KernelPair

    var blockSize: Int { type.blockSize }

    func rowBytes(columns: Int) -> Int { columns / type.blockSize * type.typeSize }

    func checkShape(rows: Int, columns: Int) throws {
        guard rows >= 1, columns >= 1 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "both dimensions must be at least 1")
        }
        guard columns % blockSize == 0 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns,
                                               reason: "the row length must be a multiple of the \(blockSize)-weight block")
        }
        let (bytes, overflow) = rows.multipliedReportingOverflow(by: rowBytes(columns: columns))
        guard !overflow, bytes < Int.max / 4 else {
            throw KernelError.unsupportedShape(format: id, rows: rows, columns: columns, reason: "the matrix is too large to address")
        }
    }

    func byteCount(rows: Int, columns: Int) -> Int { rows * rowBytes(columns: columns) }

    private func checkBlob(_ count: Int, rows: Int, columns: Int) throws {
        let expected = byteCount(rows: rows, columns: columns)
        guard count >= expected else { throw KernelError.blobSize(format: id, expected: expected, actual: count) }
    }

    private func checkCount(_ what: String, _ actual: Int, atLeast needed: Int) throws {
        guard actual >= needed else {
            throw KernelError.invalidData(format: id, reason: "\(what) holds \(actual) floats, needs \(needed)")
        }
    }

    func quantize(_ weights: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
                  into blob: UnsafeMutableRawBufferPointer) throws {
        try checkShape(rows: rows, columns: columns)
        try checkCount("the weight buffer", weights.count, atLeast: rows * columns)
        try checkBlob(blob.count, rows: rows, columns: columns)
        guard let source = weights.baseAddress, let target = blob.baseAddress else { return }
        // Non-finite weights have no llama.cpp encoding (its quantizers' casts are undefined there).
        if let bad = (0..<rows * columns).first(where: { !source[$0].isFinite }) {
            throw KernelError.invalidData(format: id, reason: "weight at row \(bad / columns), column \(bad % columns) is \(source[bad])")
        }
        let stride = rowBytes(columns: columns)
        for row in 0..<rows { quantizeRow(source + row * columns, columns, target + row * stride) }
    }

    func dequantize(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                    into weights: UnsafeMutableBufferPointer<Float>) throws {
        try checkShape(rows: rows, columns: columns)
        try checkBlob(blob.count, rows: rows, columns: columns)
        try checkCount("the output buffer", weights.count, atLeast: rows * columns)
        guard let decode = BlockDecoders.table[type], let source = blob.baseAddress, let target = weights.baseAddress else { return }
        let stride = rowBytes(columns: columns)
        for row in 0..<rows { decode(source + row * stride, columns, target + row * columns) }
    }

    func referenceMultiply(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                           activations: UnsafeBufferPointer<Float>, batch: Int,
                           into output: UnsafeMutableBufferPointer<Float>) throws {
        try checkShape(rows: rows, columns: columns)
        try checkBlob(blob.count, rows: rows, columns: columns)
        guard batch >= 1 else { throw KernelError.invalidData(format: id, reason: "batch \(batch) must be at least 1") }
        try checkCount("the activation buffer", activations.count, atLeast: batch * columns)
        try checkCount("the output buffer", output.count, atLeast: batch * rows)
        guard let weights = blob.baseAddress, let x = activations.baseAddress, let y = output.baseAddress else { return }
        let codec = ActivationCodec(encoding: activation)
        let tokenBytes = codec.bytesPerToken(columns: columns)
        let scratch = AlignedScratch(byteCount: tokenBytes * batch)
        for b in 0..<batch {
            codec.encode(x + b * columns, columns: columns, into: scratch.pointer + b * tokenBytes, path: .scalar)
        }
        var args = bb_matmul_args(weights: weights, row_bytes: rowBytes(columns: columns), k: columns,
                                  act: scratch.pointer, act_stride: tokenBytes, batch: batch, y: y, y_stride: rows,
                                  act_d: nil, act_s: nil, act_scale_stride: 0)
        withUnsafePointer(to: &args) { scalar($0, 0..<rows) }
        withExtendedLifetime(scratch) {}
    }

    func prepare(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int, path: KernelPath) throws -> any PreparedWeights {
        try checkShape(rows: rows, columns: columns)
        try checkBlob(blob.count, rows: rows, columns: columns)
        guard let base = blob.baseAddress else {
            throw KernelError.blobSize(format: id, expected: byteCount(rows: rows, columns: columns), actual: 0)
        }
        let kernels: KernelPair
        switch path {
        case .scalar: kernels = KernelPair(scalar: scalar)
        case .portable: kernels = portable
        case .avx2, .avxvnni, .avx512vnni:  // no VNNI kernels here: the VNNI paths run AVX2
            guard CPUFeatures.current.supportsAVX2Kernels else {
                throw KernelError.unsupportedPath(format: id, path: path, reason: "this CPU lacks AVX2, FMA or F16C")
            }
            kernels = avx2
        }
        return PreparedBlockMatrix(format: id, base: base, rows: rows, columns: columns,
                                   rowBytes: rowBytes(columns: columns), path: path.withoutVNNI,
                                   codec: ActivationCodec(encoding: activation), kernels: kernels)
    }
}
