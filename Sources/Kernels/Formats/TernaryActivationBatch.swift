/// The activations of one multiply call, encoded for a ternary format: int8 values per token plus
/// the per-token (I2_S, TL1/TL2) or per-256-block (Q8_K for TQ1_0/TQ2_0) scales and sums, and room
/// for the TL1/TL2 lookup tables. One 64-byte-aligned allocation, released on deinit.
final class TernaryActivationBatch {
    /// How the values are scaled.
    enum Encoding { case int8PerToken, lookupTable, q8K }

    let encoding: Encoding
    let batch: Int
    let columns: Int
    /// Scale/sum slots per token: 1, or columns/256 for Q8_K.
    let scalesPerToken: Int
    /// `batch × columns` int8 values, token-major (each token's row padded to `valueStride`).
    let values: UnsafeMutablePointer<Int8>
    let valueStride: Int
    /// Per-token or per-block scales: I2_S `s`, TL `lut_scale`, Q8_K `d`.
    let scales: UnsafeMutablePointer<Float>
    /// Per-token `Σq` (I2_S) or per-block `Σq` (Q8_K); unused for TL.
    let sums: UnsafeMutablePointer<Int32>
    /// Lookup tables (`tableBytesPerToken` per token), or nil.
    let tables: UnsafeMutablePointer<Int8>?
    let tableBytesPerToken: Int
    private let base: UnsafeMutableRawPointer

    init(encoding: Encoding, batch: Int, columns: Int, tableBytesPerToken: Int = 0) {
        self.encoding = encoding
        self.batch = batch
        self.columns = columns
        self.scalesPerToken = encoding == .q8K ? columns / Q8KActivations.blockSize : 1
        self.tableBytesPerToken = tableBytesPerToken
        func round64(_ n: Int) -> Int { (n + 63) & ~63 }
        // Rows are padded so a 32-byte vector load at any block start stays inside the buffer.
        valueStride = round64(columns + 32)
        let valueBytes = round64(batch * valueStride)
        let scaleBytes = round64(batch * scalesPerToken * 4)
        let tableBytes = round64(batch * tableBytesPerToken + (tableBytesPerToken > 0 ? 64 : 0))
        let total = valueBytes + 2 * scaleBytes + tableBytes
        base = UnsafeMutableRawPointer.allocate(byteCount: max(total, 64), alignment: 64)
        values = base.bindMemory(to: Int8.self, capacity: valueBytes)
        values.initialize(repeating: 0, count: valueBytes)
        scales = (base + valueBytes).bindMemory(to: Float.self, capacity: batch * scalesPerToken)
        sums = (base + valueBytes + scaleBytes).bindMemory(to: Int32.self, capacity: batch * scalesPerToken)
        tables = tableBytesPerToken > 0
            ? (base + valueBytes + 2 * scaleBytes).bindMemory(to: Int8.self, capacity: tableBytes) : nil
    }

    deinit { base.deallocate() }

    /// Token `b`'s int8 values.
    @inline(__always) func tokenValues(_ b: Int) -> UnsafeMutablePointer<Int8> { values + b * valueStride }

    /// Encodes with the Swift scalar reference encoders.
    func encodeReference(_ activations: UnsafePointer<Float>) {
        for b in 0..<batch {
            let x = UnsafeBufferPointer(start: activations + b * columns, count: columns)
            switch encoding {
            case .int8PerToken:
                let (s, sum) = Int8PerTokenActivations.quantize(x, into: tokenValues(b))
                scales[b] = s
                sums[b] = sum
            case .lookupTable:
                scales[b] = LookupTableActivations.quantize(x, into: tokenValues(b))
                sums[b] = 0
            case .q8K:
                Q8KActivations.quantize(x, into: tokenValues(b), scales: scales + b * scalesPerToken,
                                        blockSums: sums + b * scalesPerToken)
            }
        }
    }
}
