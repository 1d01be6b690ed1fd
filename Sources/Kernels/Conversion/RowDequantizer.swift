import GGUF

/// Decodes whole rows of a stored tensor to floats: the engine's embedding lookup and any
/// tensor the kernels do not multiply (Q6_K, BF16). Block types decode row by row straight from
/// the blob; the other registered formats (I2_S, TL1, TL2, …) decode through their registry entry.
public enum RowDequantizer {
    /// Writes rows `rows` (each `columns` floats) of the tensor stored in `blob` to `into`.
    /// `blob` is the whole tensor as stored in GGUF (trailer included for I2_S/TL1/TL2).
    public static func dequantizeRows(type: GGMLType, blob: UnsafeRawBufferPointer, columns: Int,
                                      rows: Range<Int>, into: UnsafeMutablePointer<Float>) throws {
        guard columns > 0, rows.lowerBound >= 0 else {
            throw DequantizationError(type: type, reason: "columns \(columns) and rows \(rows) must be positive")
        }
        if rows.isEmpty { return }
        guard let base = blob.baseAddress else {
            throw DequantizationError(type: type, reason: "the blob is empty")
        }
        if let decode = BlockDecoders.table[type] {
            guard columns % type.blockSize == 0 else {
                throw DequantizationError(type: type, reason: "row length \(columns) is not a multiple of the block size \(type.blockSize)")
            }
            let rowBytes = columns / type.blockSize * type.typeSize
            let (needed, overflow) = rows.upperBound.multipliedReportingOverflow(by: rowBytes)
            guard !overflow, needed <= blob.count else {
                throw DequantizationError(type: type, reason: "blob has \(blob.count) bytes, rows \(rows) of \(columns) need \(overflow ? Int.max : needed)")
            }
            for (i, row) in rows.enumerated() {
                decode(base + row * rowBytes, columns, into + i * columns)
            }
            return
        }
        guard let format = WeightFormats.all.first(where: { $0.ggmlType == type }) else {
            throw DequantizationError(type: type, reason: "no decoder for this type")
        }
        try dequantizeThroughRegistry(format, blob: blob, columns: columns, rows: rows, into: into)
    }

    /// Formats with a per-tensor trailer or tiles decode the whole tensor; the row count comes
    /// from the blob size (the smallest M whose `byteCount` equals it).
    private static func dequantizeThroughRegistry(_ format: any WeightFormat, blob: UnsafeRawBufferPointer,
                                                  columns: Int, rows: Range<Int>,
                                                  into: UnsafeMutablePointer<Float>) throws {
        let type = format.ggmlType
        var low = 1, high = max(1, blob.count * 8 / columns + 1)
        while low < high {
            let mid = (low + high) / 2
            if format.byteCount(rows: mid, columns: columns, parameters: .none) < blob.count { low = mid + 1 } else { high = mid }
        }
        let total = low
        guard format.byteCount(rows: total, columns: columns, parameters: .none) == blob.count else {
            throw DequantizationError(type: type, reason: "blob of \(blob.count) bytes is no whole \(type) tensor with rows of \(columns)")
        }
        guard rows.upperBound <= total else {
            throw DequantizationError(type: type, reason: "rows \(rows) are outside the tensor's \(total) rows")
        }
        try format.checkShape(rows: total, columns: columns, parameters: .none)
        var whole = [Float](repeating: 0, count: total * columns)
        try whole.withUnsafeMutableBufferPointer { buffer in
            try format.dequantize(blob, rows: total, columns: columns, parameters: .none, into: buffer)
            (into).update(from: buffer.baseAddress! + rows.lowerBound * columns, count: rows.count * columns)
        }
    }
}
