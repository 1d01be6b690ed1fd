/// A weight matrix shape as the user writes it: `MxK` (M rows = output features, K = row length).
public struct MatrixShape: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Output features (rows).
    public var rows: Int
    /// Input features (row length).
    public var columns: Int

    /// Makes a shape.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    /// Parses `MxK`, e.g. `4096x11008`; nil when it is not two positive integers joined by `x`.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let m = Int(parts[0]), let k = Int(parts[1]), m > 0, k > 0 else { return nil }
        self.init(rows: m, columns: k)
    }

    /// `MxK`.
    public var description: String { "\(rows)x\(columns)" }
}
