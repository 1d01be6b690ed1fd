/// The plain scalar product of the ternary formats, activation encoding included: the ground
/// truth the fast paths must equal exactly. It decodes trits row by row from the standard blob.
///
/// Epilogues, each in bitnet.cpp's / llama.cpp's float order:
/// - I2_S: `((Float(Σ code·q) - Float(Σq)) / s) * α` (ggml.c mul_mat, I2_S branch);
/// - TL1/TL2: `(Float(Σ w·b) / lut_scale) * α` (bitnet-lut-kernels);
/// - TQ1_0/TQ2_0: per 256-block `sum += Float(Σ w·q) * (d_w * d_a)`, blocks in order
///   (ggml_vec_dot_tq*_q8_K_generic).
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
                            var sum: Float = 0
                            for block in 0..<blocks {
                                var dot: Int32 = 0
                                let start = block * Q8KActivations.blockSize
                                for k in start..<(start + Q8KActivations.blockSize) {
                                    dot &+= Int32(t[k]) &* Int32(q[k])
                                }
                                let d = d[block] * encoded.scales[b * encoded.scalesPerToken + block]
                                sum += Float(dot) * d
                            }
                            y = sum
                        }
                        output[b * rows + m] = y
                    }
                }
            }
        }
    }
}
