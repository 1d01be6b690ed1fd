/// A GGUF-shaped model: metadata, tensor infos and tensor bytes. GGUFFile conforms; synthetic
/// in-memory models conform too, so the engine cannot tell them apart.
public protocol TensorSource: AnyObject, Sendable {
    var metadata: GGUFMetadata { get }
    var tensorInfos: [GGUFTensorInfo] { get }
    func tensorData(_ name: String) -> UnsafeRawBufferPointer?
    /// A short human label: the file path, or e.g. "synthetic 700M i2_s seed 1".
    var sourceLabel: String { get }
}
