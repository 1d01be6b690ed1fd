/// A GGUF v2/v3 file, mapped read-only and fully validated when opened: after `init` every
/// tensor's bytes are known to lie inside the file, aligned and disjoint.
public final class GGUFFile: @unchecked Sendable, TensorSource {
    /// Keeps the bytes alive: the file mapping, or an owned copy for in-memory images.
    private enum Storage {
        case mapped(MappedRegion)
        case owned(UnsafeMutableRawBufferPointer)
    }

    private let storage: Storage
    private let bytes: UnsafeRawBufferPointer
    private let tensorIndex: [String: Int]

    /// The path given to `init(path:)`, or the label of an in-memory image.
    public let path: String
    /// The GGUF version, 2 or 3.
    public let version: UInt32
    /// The data alignment: `general.alignment`, or 32.
    public let alignment: Int
    /// The file size in bytes.
    public let fileSize: Int
    /// The absolute offset of the data section (the header end rounded up to `alignment`).
    public let dataOffset: Int
    /// The key/value metadata in file order.
    public let metadata: GGUFMetadata
    /// The tensor infos in file order.
    public let tensorInfos: [GGUFTensorInfo]
    /// How the ambiguous type id 39 was read (TL2 or MXFP4), and why.
    public let typeDialect: GGMLTypeDialectDecision

    /// Maps and validates the file at `path`. Throws `GGUFError`.
    public convenience init(path: String) throws {
        let region: MappedRegion
        do {
            region = try MappedRegion(path: path)
        } catch let error as SystemCallError {
            throw GGUFError(error)
        }
        try self.init(storage: .mapped(region), bytes: region.bytes, label: path)
    }

    /// Validates a GGUF image held in memory (copied); `label` stands for the path in errors.
    public convenience init(bytes: UnsafeRawBufferPointer, label: String) throws {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
        if let source = bytes.baseAddress, bytes.count > 0 {
            copy.baseAddress!.copyMemory(from: source, byteCount: bytes.count)
        }
        do {
            try self.init(storage: .owned(copy), bytes: UnsafeRawBufferPointer(copy), label: label)
        } catch {
            copy.deallocate()
            throw error
        }
    }

    private init(storage: Storage, bytes: UnsafeRawBufferPointer, label: String) throws {
        var parser = GGUFParser(bytes: bytes, file: label)
        let header = try parser.parse()
        self.storage = storage
        self.bytes = bytes
        self.path = label
        self.fileSize = bytes.count
        self.version = header.version
        self.alignment = header.alignment
        self.dataOffset = header.dataOffset
        self.metadata = header.metadata
        self.tensorInfos = header.tensorInfos
        self.typeDialect = header.dialect
        var index: [String: Int] = [:]
        index.reserveCapacity(header.tensorInfos.count)
        for (i, info) in header.tensorInfos.enumerated() { index[info.name] = i }
        self.tensorIndex = index
    }

    deinit {
        if case .owned(let buffer) = storage { buffer.deallocate() }
    }

    /// The file path.
    public var sourceLabel: String { path }

    /// The info of the tensor called `name`.
    public func tensorInfo(_ name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensorInfos[$0] }
    }

    /// The tensor's bytes: a view into the mapping, valid while this file object lives.
    public func tensorData(_ name: String) -> UnsafeRawBufferPointer? {
        guard let info = tensorInfo(name) else { return nil }
        return data(of: info)
    }

    /// The tensor called `name` with its info and bytes.
    public func tensor(_ name: String) -> GGUFTensor? {
        guard let info = tensorInfo(name) else { return nil }
        return GGUFTensor(info: info, data: data(of: info))
    }

    private func data(of info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        // The parser proved dataOffset + offset + byteCount <= fileSize.
        UnsafeRawBufferPointer(rebasing: bytes[(dataOffset + info.offset)..<(dataOffset + info.offset + info.byteCount)])
    }

    /// The whole file image (header included), e.g. for checksums.
    public var rawBytes: UnsafeRawBufferPointer { bytes }
}
