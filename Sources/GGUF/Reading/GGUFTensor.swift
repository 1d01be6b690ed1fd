/// A tensor of a GGUF file: its info and a view of its bytes (valid while the file lives).
public struct GGUFTensor: @unchecked Sendable {
    /// Name, shape, type, offset and size.
    public let info: GGUFTensorInfo
    /// The raw bytes in the file's layout for `info.type`.
    public let data: UnsafeRawBufferPointer
}
