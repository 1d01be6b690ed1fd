import Kernels

/// Packs blocks of rows of trits into a ternary tensor's blob through the registered format
/// (`TernaryWeightFormat.packTernary`: I2_S, TL1, TL2, TQ1_0, TQ2_0 layouts and their scales).
struct SyntheticTernaryPacker: Sendable {
    let format: any TernaryWeightFormat
    let tensor: SyntheticTensor
    /// Row blocks handed to `pack` must start at a multiple of this (1, or BM for TL1/TL2).
    let rowGranularity: Int

    init(format id: WeightFormatID, tensor: SyntheticTensor) throws {
        guard let format = WeightFormats.all.first(where: { $0.id == id }) as? any TernaryWeightFormat else {
            throw SyntheticError.invalidValue(field: "--type", value: id.rawValue,
                                              expected: "a ternary format with a registered packer")
        }
        self.format = format
        self.tensor = tensor
        rowGranularity = max(1, format.ternaryRowGranularity(rows: tensor.rows, columns: tensor.columns,
                                                              parameters: tensor.parameters))
    }

    /// Writes rows `rows` (trits row-major, `rows.count · K` of them) and the scale into `blob`.
    func pack(_ trits: UnsafeBufferPointer<Int8>, rows: Range<Int>, scale: Float,
              into blob: UnsafeMutableRawBufferPointer) throws {
        try format.packTernary(trits, rowRange: rows, rows: tensor.rows, columns: tensor.columns, scale: scale,
                               parameters: tensor.parameters, into: blob)
    }
}
