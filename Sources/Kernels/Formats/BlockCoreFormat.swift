/// A baseline format whose work is all done by its `BlockFormatCore`: the six protocol methods
/// are forwarded once here instead of in every format file.
public protocol BlockCoreFormat: WeightFormat {
    /// The shared block machinery configured for this format.
    static var core: BlockFormatCore { get }
}

extension BlockCoreFormat {
    public func checkShape(rows: Int, columns: Int, parameters: FormatParameters) throws {
        try Self.core.checkShape(rows: rows, columns: columns)
    }

    public func byteCount(rows: Int, columns: Int, parameters: FormatParameters) -> Int {
        Self.core.byteCount(rows: rows, columns: columns)
    }

    public func quantize(_ weights: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
                         parameters: FormatParameters, into blob: UnsafeMutableRawBufferPointer) throws {
        try Self.core.quantize(weights, rows: rows, columns: columns, into: blob)
    }

    public func dequantize(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                           parameters: FormatParameters, into weights: UnsafeMutableBufferPointer<Float>) throws {
        try Self.core.dequantize(blob, rows: rows, columns: columns, into: weights)
    }

    public func referenceMultiply(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                                  parameters: FormatParameters, activations: UnsafeBufferPointer<Float>,
                                  batch: Int, into output: UnsafeMutableBufferPointer<Float>) throws {
        try Self.core.referenceMultiply(blob, rows: rows, columns: columns, activations: activations,
                                        batch: batch, into: output)
    }

    public func prepare(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                        parameters: FormatParameters, path: KernelPath) throws -> any PreparedWeights {
        try Self.core.prepare(blob, rows: rows, columns: columns, path: path)
    }
}
