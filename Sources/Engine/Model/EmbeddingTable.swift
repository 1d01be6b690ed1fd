import GGUF
import Kernels

/// The token embedding (vocab, dim), read row by row from its stored form (F32, F16, Q8_0, Q6_K,
/// …) through the kernels' row dequantizer, so no float copy of the table is ever made.
struct EmbeddingTable {
    let name: String
    let type: GGMLType
    let blob: UnsafeRawBufferPointer   // (vocab, dim) in `type`
    let vocabularySize: Int
    let dimension: Int

    init(binder: WeightBinder, name: String, vocabularySize: Int, dimension: Int) throws {
        let info = try binder.info(name)
        guard info.shape == [dimension, vocabularySize] else {
            throw ModelError.tensorShape(name: name, expected: [dimension, vocabularySize], actual: info.shape)
        }
        self.name = name
        self.type = info.type
        self.blob = try binder.data(info)
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        // One trial row up front, so an unreadable type fails at load and not at the first token.
        let probe = UnsafeMutablePointer<Float>.allocate(capacity: dimension)
        defer { probe.deallocate() }
        do {
            try RowDequantizer.dequantizeRows(type: type, blob: blob, columns: dimension, rows: 0..<1, into: probe)
        } catch {
            throw ModelError.unsupportedTensorType(name: name, type: "\(type)", role: "a token embedding (\(error))")
        }
    }

    /// Writes row `token` (dim floats) to `destination`.
    func lookup(_ token: Int, into destination: UnsafeMutablePointer<Float>) throws {
        guard token >= 0 && token < vocabularySize else {
            throw ModelError.tokenOutOfRange(token: token, vocabularySize: vocabularySize)
        }
        try RowDequantizer.dequantizeRows(type: type, blob: blob, columns: dimension, rows: token..<(token + 1),
                                          into: destination)
    }
}
