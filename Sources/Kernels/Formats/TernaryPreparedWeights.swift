import CKernels

/// A ternary weight matrix ready for its kernels (scalar reference, portable C or AVX2).
///
/// I2_S, TQ1_0 and TQ2_0 run on the standard blob, which must outlive this object. TL1 and TL2
/// are repacked once into a group-major layout: bitnet.cpp's own 32-byte TL2 vectors (TL1 bytes
/// regrouped the same way), reordered so each 32-row group is one contiguous stream; the kernels
/// then need no tile parameters and the blob may be released (except on the scalar path, which
/// reads the standard tiles).
final class TernaryPreparedWeights: PreparedWeights, @unchecked Sendable {
    let format: WeightFormatID
    let rows: Int
    let columns: Int
    let weightBytes: Int
    let path: KernelPath

    private enum Kernel { case i2s, tq2, tq1, lookup(threeColumns: Int, twoColumns: Int) }
    private let kernel: Kernel
    private let weights: UnsafeRawPointer
    private let owned: UnsafeMutableRawPointer?
    /// TL: per row (32 per group), the number of negative triples (see ternary_tl.c).
    private let rowBias: UnsafeMutablePointer<Int32>?
    private let alpha: Float
    private let reference: TernaryScalarReference

    init(format: any TernaryWeightFormat, blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
         parameters: FormatParameters, path: KernelPath) throws {
        reference = try TernaryScalarReference(format: format, blob: blob, rows: rows, columns: columns, parameters: parameters)
        try Self.checkPath(path, format: format.id)
        self.format = format.id
        self.rows = rows
        self.columns = columns
        // Only I2_S has VNNI kernels; the other formats run (and report) AVX2 under a VNNI path.
        self.path = format is I2SFormat ? path : path.withoutVNNI
        alpha = reference.tensorScale
        switch format {
        case is I2SFormat:
            try TernaryRepacking.refuseCodeThree(blob, format: format.id, ranges: [(0, rows * columns / 4)])
            kernel = .i2s
            weights = UnsafeRawPointer(blob.baseAddress!)
            owned = nil
            rowBias = nil
            weightBytes = rows * columns / 4
        case is TQ2_0Format:
            let blocks = rows * columns / 256
            try TernaryRepacking.refuseCodeThree(blob, format: format.id, ranges: (0..<blocks).lazy.map { ($0 * 66, 64) })
            kernel = .tq2
            weights = UnsafeRawPointer(blob.baseAddress!)
            owned = nil
            rowBias = nil
            weightBytes = blocks * 66
        case is TQ1_0Format:
            kernel = .tq1
            weights = UnsafeRawPointer(blob.baseAddress!)
            owned = nil
            rowBias = nil
            weightBytes = rows * columns / 256 * 54
        case let tl2 as TL2Format:
            let layout = try tl2.layout(rows: rows, columns: columns, parameters: parameters)
            kernel = .lookup(threeColumns: layout.threeColumns, twoColumns: layout.twoColumns)
            let groupBytes = TernaryRepacking.groupBytes(threeColumns: layout.threeColumns, twoColumns: layout.twoColumns)
            weightBytes = (rows + 31) / 32 * groupBytes
            if path == .scalar {
                (owned, weights, rowBias) = (nil, UnsafeRawPointer(blob.baseAddress!), nil)  // the reference reads the tiles
            } else {
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(weightBytes, 64), alignment: 64)
                let bias = UnsafeMutablePointer<Int32>.allocate(capacity: (rows + 31) / 32 * 32)
                bias.initialize(repeating: 0, count: (rows + 31) / 32 * 32)
                TernaryRepacking.repackTL2(blob, layout: layout, groupBytes: groupBytes, into: buffer, negativeCounts: bias)
                owned = buffer
                weights = UnsafeRawPointer(buffer)
                rowBias = bias
            }
        case let tl1 as TL1Format:
            let layout = try tl1.layout(rows: rows, columns: columns, parameters: parameters)
            kernel = .lookup(threeColumns: 0, twoColumns: columns)
            let groupBytes = TernaryRepacking.groupBytes(threeColumns: 0, twoColumns: columns)
            weightBytes = (rows + 31) / 32 * groupBytes
            if path == .scalar {
                (owned, weights, rowBias) = (nil, UnsafeRawPointer(blob.baseAddress!), nil)
            } else {
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(weightBytes, 64), alignment: 64)
                buffer.initializeMemory(as: UInt8.self, repeating: 0, count: weightBytes)
                TernaryRepacking.repackTL1(blob, layout: layout, groupBytes: groupBytes, into: buffer)
                owned = buffer
                weights = UnsafeRawPointer(buffer)
                let bias = UnsafeMutablePointer<Int32>.allocate(capacity: (rows + 31) / 32 * 32)
                bias.initialize(repeating: 0, count: (rows + 31) / 32 * 32)  // pairs carry no signs
                rowBias = bias
            }
        default:
            throw KernelError.unsupportedPath(format: format.id, path: path, reason: "not a ternary format with kernels")
        }
    }

    deinit {
        owned?.deallocate()
        rowBias?.deallocate()
    }

    /// Throws unless `path` can run here: AVX2 needs an x86-64 CPU with AVX2, FMA and F16C, the
    /// VNNI paths also their VNNI extension.
    static func checkPath(_ path: KernelPath, format: WeightFormatID) throws {
        guard path.usesAVX2Kernels else { return }
        #if arch(x86_64)
        let missing = CPUFeatures.current.missing(path.requiredFeatures)
        guard missing.isEmpty else {
            throw KernelError.unsupportedPath(format: format, path: path,
                                              reason: "this CPU lacks " + missing.joined(separator: ", "))
        }
        #else
        throw KernelError.unsupportedPath(format: format, path: path, reason: "AVX2 and VNNI kernels exist only on x86-64")
        #endif
    }

    // MARK: Multiply

    func multiply(_ activations: UnsafePointer<Float>, batch: Int,
                  into output: UnsafeMutablePointer<Float>, pool: WorkerPool) {
        guard batch > 0 else { return }
        if path == .scalar {
            let encoded = reference.encode(activations, batch: batch)
            pool.parallelFor(rows, granularity: 4) { range, _ in
                self.reference.multiply(encoded, rows: range, into: output)
            }
            return
        }
        let encoded = encode(activations, batch: batch, pool: pool)
        let avx2 = path.usesAVX2Kernels, path = self.path
        let q = encoded.values, stride = encoded.valueStride
        let k = Int64(columns)
        switch kernel {
        case .i2s:
            let w = weights.assumingMemoryBound(to: UInt8.self)
            pool.parallelFor(rows, granularity: 16) { range, _ in
                let r0 = Int64(range.lowerBound), r1 = Int64(range.upperBound)
                #if arch(x86_64)
                let i2s: (@convention(c) (UnsafePointer<UInt8>?, Int64, Int64, Int64, UnsafePointer<Int8>?, Int64,
                                          UnsafePointer<Float>?, UnsafePointer<Int32>?, Int64, Float,
                                          UnsafeMutablePointer<Float>?, Int64) -> Void)?
                switch path {
                case .avx512vnni: i2s = bb_ternary_i2s_avx512vnni
                case .avxvnni: i2s = bb_ternary_i2s_avxvnni
                case .avx2: i2s = bb_ternary_i2s_avx2
                case .scalar, .portable: i2s = nil
                }
                if let i2s {
                    i2s(w, k, r0, r1, q, Int64(stride), encoded.scales, encoded.sums,
                        Int64(batch), self.alpha, output, Int64(self.rows))
                    return
                }
                #endif
                bb_ternary_i2s_portable(w, k, r0, r1, q, Int64(stride), encoded.scales, encoded.sums,
                                        Int64(batch), self.alpha, output, Int64(self.rows))
            }
        case .tq2, .tq1:
            let w = weights.assumingMemoryBound(to: UInt8.self)
            let tq1: Bool
            if case .tq1 = kernel { tq1 = true } else { tq1 = false }
            pool.parallelFor(rows, granularity: 16) { range, _ in
                let r0 = Int64(range.lowerBound), r1 = Int64(range.upperBound)
                #if arch(x86_64)
                if avx2 {
                    if tq1 {
                        bb_ternary_tq1_avx2(w, k, r0, r1, q, Int64(stride), encoded.scales,
                                            Int64(batch), output, Int64(self.rows))
                    } else {
                        bb_ternary_tq2_avx2(w, k, r0, r1, q, Int64(stride), encoded.scales,
                                            Int64(batch), output, Int64(self.rows))
                    }
                    return
                }
                #endif
                if tq1 {
                    bb_ternary_tq1_portable(w, k, r0, r1, q, Int64(stride), encoded.scales,
                                            Int64(batch), output, Int64(self.rows))
                } else {
                    bb_ternary_tq2_portable(w, k, r0, r1, q, Int64(stride), encoded.scales,
                                            Int64(batch), output, Int64(self.rows))
                }
            }
        case let .lookup(k3, k2):
            let w = weights.assumingMemoryBound(to: UInt8.self)
            let tables = encoded.tables!, tableStride = Int64(encoded.tableBytesPerToken)
            let bias = UnsafePointer(rowBias!)
            pool.parallelFor((rows + 31) / 32) { range, _ in
                let g0 = Int64(range.lowerBound), g1 = Int64(range.upperBound)
                #if arch(x86_64)
                if avx2 {
                    bb_ternary_tl_avx2(w, Int64(k3), Int64(k2), Int64(self.rows), g0, g1, bias, tables, tableStride,
                                       encoded.scales, Int64(batch), self.alpha, output, Int64(self.rows))
                    return
                }
                #endif
                bb_ternary_tl_portable(w, Int64(k3), Int64(k2), Int64(self.rows), g0, g1, bias, tables, tableStride,
                                       encoded.scales, Int64(batch), self.alpha, output, Int64(self.rows))
            }
        }
    }

    /// Encodes the batch with the C encoders of this path (and builds the TL tables), spreading
    /// tokens over the pool when there are several.
    private func encode(_ activations: UnsafePointer<Float>, batch: Int, pool: WorkerPool) -> TernaryActivationBatch {
        let encoding: TernaryActivationBatch.Encoding
        var tableBytes = 0
        switch kernel {
        case .i2s: encoding = .int8PerToken
        case .tq1, .tq2: encoding = .q8K
        case let .lookup(k3, k2):
            encoding = .lookupTable
            tableBytes = 32 * (k3 / 3 + k2 / 2)
        }
        let encoded = TernaryActivationBatch(encoding: encoding, batch: batch, columns: columns, tableBytesPerToken: tableBytes)
        let avx2 = path.usesAVX2Kernels
        let k = Int64(columns), stride = Int64(encoded.valueStride)
        let kernel = self.kernel
        let body: (Range<Int>) -> Void = { tokens in
            let x = activations + tokens.lowerBound * self.columns
            let n = Int64(tokens.count)
            let q = encoded.tokenValues(tokens.lowerBound)
            let perToken = encoded.scalesPerToken
            let scales = encoded.scales + tokens.lowerBound * perToken
            let sums = encoded.sums + tokens.lowerBound * perToken
            switch kernel {
            case .i2s:
                #if arch(x86_64)
                if avx2 { bb_ternary_quantize_i8s_avx2(x, k, n, q, stride, scales, sums); return }
                #endif
                bb_ternary_quantize_i8s_portable(x, k, n, q, stride, scales, sums)
            case .tq1, .tq2:
                #if arch(x86_64)
                if avx2 { bb_ternary_quantize_q8k_avx2(x, k, n, q, stride, scales, sums); return }
                #endif
                bb_ternary_quantize_q8k_portable(x, k, n, q, stride, scales, sums)
            case let .lookup(k3, k2):
                #if arch(x86_64)
                if avx2 {
                    bb_ternary_quantize_lut_avx2(x, k, n, q, stride, scales)
                    for b in tokens {
                        bb_ternary_tl_tables_avx2(encoded.tokenValues(b), Int64(k3), Int64(k2), encoded.tables! + b * tableBytes)
                    }
                    return
                }
                #endif
                bb_ternary_quantize_lut_portable(x, k, n, q, stride, scales)
                for b in tokens {
                    bb_ternary_tl_tables_portable(encoded.tokenValues(b), Int64(k3), Int64(k2), encoded.tables! + b * tableBytes)
                }
            }
        }
        if batch == 1 {
            body(0..<1)
        } else {
            pool.parallelFor(batch) { tokens, _ in body(tokens) }
        }
        return encoded
    }
}
