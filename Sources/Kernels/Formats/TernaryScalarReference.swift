/// The plain scalar product of the ternary formats, activation encoding included: the ground
/// truth the fast paths must equal exactly. It decodes trits row by row from the standard blob
/// (I2_S by 32-element groups of its flat layout, so rows may start inside a block: `I2SFormat`).
///
/// Epilogues, each in bitnet.cpp's / llama.cpp's float order:
/// - I2_S: `((Float(Σ code·q) - Float(Σq)) / s) * α` (ggml.c mul_mat, I2_S branch);
/// - TL1/TL2: `(Float(Σ w·b) / lut_scale) * α` (bitnet-lut-kernels);
/// - TQ1_0/TQ2_0: ggml's AVX2 order (ggml_vec_dot_tq*_q8_K, arch/x86/quants.c), which made the
///   bitnet.cpp x86 reference outputs: 8 float lanes, see `q8KRowProduct`.
/// Integer sums are exact in int32: |Σ| ≤ 2·128·K with K ≤ 2^20.
struct TernaryScalarReference {
    typealias RowDecoder = (_ rows: Range<Int>, _ trits: UnsafeMutablePointer<Int8>,
                            _ blockScales: UnsafeMutablePointer<Float>) -> Void

    let format: WeightFormatID
    let encoding: TernaryActivationBatch.Encoding
    let rows: Int
    let columns: Int
    /// α for I2_S/TL1/TL2 (TQ keeps its scales per block).
    let tensorScale: Float
    let decode: RowDecoder

    init(format: any TernaryWeightFormat, blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
         parameters: FormatParameters) throws {
        try format.checkShape(rows: rows, columns: columns, parameters: parameters)
        try format.requireBlob(blob.count, rows: rows, columns: columns, parameters: parameters)
        self.format = format.id
        self.rows = rows
        self.columns = columns
        switch format {
        case let f as I2SFormat:
            encoding = .int8PerToken
            tensorScale = blob.float32(at: rows * columns / 4)
            decode = { range, trits, _ in f.decodeRows(blob, rows: range, columns: columns, into: trits) }
        case let f as TL2Format:
            encoding = .lookupTable
            let layout = try f.layout(rows: rows, columns: columns, parameters: parameters)
            tensorScale = blob.float32(at: layout.scaleOffset)
            decode = { range, trits, _ in f.decodeRows(blob, layout: layout, rows: range, into: trits) }
        case let f as TL1Format:
            encoding = .lookupTable
            let layout = try f.layout(rows: rows, columns: columns, parameters: parameters)
            tensorScale = blob.float32(at: layout.dataBytes)
            decode = { range, trits, _ in f.decodeRows(blob, layout: layout, rows: range, into: trits) }
        case let f as TQ2_0Format:
            encoding = .q8K
            tensorScale = 0
            decode = { range, trits, scales in f.decodeRows(blob, rows: range, columns: columns, into: trits, blockScales: scales) }
        case let f as TQ1_0Format:
            encoding = .q8K
            tensorScale = 0
            decode = { range, trits, scales in f.decodeRows(blob, rows: range, columns: columns, into: trits, blockScales: scales) }
        default:
            throw KernelError.unsupportedPath(format: format.id, path: .scalar, reason: "no scalar reference for this format")
        }
    }

    /// Encodes the batch with the reference encoders.
    func encode(_ activations: UnsafePointer<Float>, batch: Int) -> TernaryActivationBatch {
        let encoded = TernaryActivationBatch(encoding: encoding, batch: batch, columns: columns)
        encoded.encodeReference(activations)
        return encoded
    }

    /// Whole product with fresh reference encoding.
    func multiply(activations: UnsafeBufferPointer<Float>, batch: Int, into output: UnsafeMutableBufferPointer<Float>) throws {
        guard batch >= 0 else { throw KernelError.invalidData(format: format, reason: "batch \(batch) is negative") }
        guard activations.count >= batch * columns, output.count >= batch * rows else {
            throw KernelError.invalidData(format: format,
                reason: "buffers hold \(activations.count) activations and \(output.count) outputs; batch \(batch) needs \(batch * columns) and \(batch * rows)")
        }
        guard batch > 0 else { return }
        let encoded = encode(activations.baseAddress!, batch: batch)
        multiply(encoded, rows: 0..<rows, into: output.baseAddress!)
    }

    /// Rows `rowRange` of the product of already-encoded activations; `output[b*rows + m]`.
    func multiply(_ encoded: TernaryActivationBatch, rows rowRange: Range<Int>, into output: UnsafeMutablePointer<Float>) {
        let blocks = columns / Q8KActivations.blockSize
        var trits = [Int8](repeating: 0, count: columns)
        var blockScales = [Float](repeating: 0, count: max(blocks, 1))
        trits.withUnsafeMutableBufferPointer { t in
            blockScales.withUnsafeMutableBufferPointer { d in
                for m in rowRange {
                    decode(m..<(m + 1), t.baseAddress!, d.baseAddress!)
                    for b in 0..<encoded.batch {
                        let q = encoded.tokenValues(b)
                        let y: Float
                        switch encoding {
                        case .int8PerToken:
                            var dot: Int32 = 0
                            for k in 0..<columns { dot &+= Int32(t[k]) &* Int32(q[k]) }
                            let sumQ = encoded.sums[b]
                            let codeSum = dot &+ sumQ
                            y = ((Float(codeSum) - Float(sumQ)) / encoded.scales[b]) * tensorScale
                        case .lookupTable:
                            var dot: Int32 = 0
                            for k in 0..<columns { dot &+= Int32(t[k]) &* Int32(q[k]) }
                            y = (Float(dot) / encoded.scales[b]) * tensorScale
                        case .q8K:
                            y = Self.q8KRowProduct(trits: t.baseAddress!, blockScales: d.baseAddress!, q: q,
                                                   activationScales: encoded.scales + b * encoded.scalesPerToken,
                                                   blocks: blocks)
                        }
                        output[b * rows + m] = y
                    }
                }
            }
        }
    }

    /// One TQ row times one Q8_K token in ggml's AVX2 order. Per block, int lane m (0..7) is
    /// Σ code·q over the elements e with (e mod 32)/4 == m (code = trit + 1), minus Σq over
    /// [32m, 32m+32) (bsums[2m] + bsums[2m+1]); then `acc[m] = acc[m] + Float(lane) * (d_a * d_w)`
    /// (not fused), and the lanes are summed as hsum_float_8:
    /// `((a4 + a0) + (a6 + a2)) + ((a5 + a1) + (a7 + a3))`.
    static func q8KRowProduct(trits: UnsafePointer<Int8>, blockScales: UnsafePointer<Float>, q: UnsafePointer<Int8>,
                              activationScales: UnsafePointer<Float>, blocks: Int) -> Float {
        var acc = [Float](repeating: 0, count: 8)
        var lanes = [Int32](repeating: 0, count: 8)
        for block in 0..<blocks {
            for m in 0..<8 { lanes[m] = 0 }
            let start = block * Q8KActivations.blockSize
            for e in 0..<Q8KActivations.blockSize {
                let code = Int32(trits[start + e]) + 1, value = Int32(q[start + e])
                lanes[(e & 31) >> 2] &+= code &* value
                lanes[e >> 5] &-= value
            }
            let d = activationScales[block] * blockScales[block]
            for m in 0..<8 { acc[m] = acc[m] + Float(lanes[m]) * d }
        }
        return ((acc[4] + acc[0]) + (acc[6] + acc[2])) + ((acc[5] + acc[1]) + (acc[7] + acc[3]))
    }
}
