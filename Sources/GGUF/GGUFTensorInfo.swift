/// One tensor's entry in a GGUF file: name, ggml shape, type and where its bytes are.
public struct GGUFTensorInfo: Sendable, Hashable {
    /// The tensor name, e.g. "blk.0.attn_q.weight".
    public var name: String
    /// ggml order: ne0 (the fastest-varying dimension) first; a matrix is [K, M].
    public var shape: [Int]
    /// The element type.
    public var type: GGMLType
    /// Byte offset of the data, relative to the data-section start (as stored in the file).
    public var offset: Int
    /// Byte size of the data, from the type's size rule (special for I2_S, TL1, TL2).
    public var byteCount: Int
    /// The number of elements (the product of the shape).
    public var elementCount: Int

    public init(name: String, shape: [Int], type: GGMLType, offset: Int, byteCount: Int, elementCount: Int) {
        self.name = name
        self.shape = shape
        self.type = type
        self.offset = offset
        self.byteCount = byteCount
        self.elementCount = elementCount
    }

    /// ne0, the row length (K for a weight matrix).
    public var rowLength: Int { shape.first ?? 1 }

    /// The number of rows: the product of the dims after ne0 (M for a weight matrix).
    public var rowCount: Int { shape.dropFirst().reduce(1, *) }
}
