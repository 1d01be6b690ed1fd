import GGUF

/// A tensor that `RowDequantizer` cannot decode, naming the type and what was wrong.
public struct DequantizationError: Error, CustomStringConvertible, Equatable {
    /// The tensor's ggml type.
    public var type: GGMLType
    /// What was wrong, e.g. "blob has 100 bytes, rows 0..<4 need 136".
    public var reason: String

    /// A one-line message.
    public var description: String { "cannot dequantize \(type) rows: \(reason)" }
}
