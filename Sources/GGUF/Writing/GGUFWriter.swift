import Glibc

/// Writes a GGUF v3 file in a stream: declare metadata and tensors, write the header, then feed
/// the tensor bytes in pieces (never whole in memory). With `atomic` the file is written under a
/// temporary name in the same directory and renamed at `finish`, after fsync, so an interrupted
/// write never leaves a file under the final name.
public final class GGUFWriter {
    private enum Phase { case declaring, writingData, finished, failed }

    private struct Declared {
        var name: String
        var shape: [Int]
        var type: GGMLType
        var byteCount: Int
        var offset = 0
    }

    /// Buffered small writes are flushed at this size; larger pieces go straight to the file.
    private static let bufferCapacity = 1 << 20

    /// The final path.
    public let path: String
    /// The data alignment (a power of two).
    public let alignment: Int
    private let temporaryPath: String?
    private let descriptor: FileDescriptor
    private var metadata = GGUFMetadata()
    private var tensors: [Declared] = []
    private var tensorNames: Set<String> = []
    private var phase = Phase.declaring
    private var discarded = false
    private var descriptorClosed = false
    private var deferredError: GGUFError?
    private var buffer: [UInt8] = []
    /// Bytes handed to the file so far (buffered included): the absolute position for errors.
    private var position = 0
    private var currentTensor = 0
    private var writtenInCurrent = 0

    /// Creates the output. With `atomic`, a temporary file beside `path` is used until `finish`.
    public init(path: String, alignment: Int = 32, atomic: Bool = true) throws {
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= Int(UInt32.max) else {
            throw GGUFError(.writerMisuse, file: path, field: "alignment", offset: nil,
                            expected: "a power of two that fits in u32, found \(alignment)")
        }
        self.path = path
        self.alignment = alignment
        do {
            if atomic {
                let temporary = Self.temporaryName(for: path)
                descriptor = try FileDescriptor.create(temporary, exclusive: true)
                temporaryPath = temporary
            } else {
                descriptor = try FileDescriptor.create(path, exclusive: false)
                temporaryPath = nil
            }
        } catch let error as SystemCallError {
            throw GGUFError(error)
        }
        buffer.reserveCapacity(Self.bufferCapacity)
    }

    deinit {
        discardOutput()
    }

    /// Closes and removes an unfinished output, so no partial file survives an error or an
    /// abandoned writer. Safe to call twice.
    private func discardOutput() {
        guard phase != .finished, !discarded else { return }
        discarded = true
        if !descriptorClosed {
            descriptorClosed = true
            try? descriptor.close()
        }
        FileSystem.unlinkIfPresent(temporaryPath ?? path)
    }

    private static func temporaryName(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Sets a metadata value (kept in insertion order). Must come before `writeHeader`;
    /// a late call makes the next throwing call fail.
    public func setMetadata(_ key: String, _ value: GGUFValue) {
        guard phase == .declaring else {
            deferredError = deferredError ?? misuse("kv \"\(key)\"", "metadata set before writeHeader()")
            return
        }
        metadata[key] = value
    }

    /// Declares a tensor; `byteCount` must equal the type's size for `shape` (ggml order, ne0 first).
    public func addTensor(name: String, shape: [Int], type: GGMLType, byteCount: Int) throws {
        try checkUsable()
        guard phase == .declaring else { throw fail(misuse("tensor \"\(name)\"", "tensors declared before writeHeader()")) }
        guard !tensorNames.contains(name) else {
            throw fail(misuse("tensor \"\(name)\"", "a tensor name not declared before"))
        }
        guard (1...4).contains(shape.count), shape.allSatisfy({ $0 >= 0 }) else {
            throw fail(misuse("tensor \"\(name)\" shape", "1 to 4 non-negative dims, found \(shape)"))
        }
        guard let expected = type.byteCount(shape: shape) else {
            throw fail(misuse("tensor \"\(name)\" shape", "a shape that \(type) can hold, found \(shape)"))
        }
        guard byteCount == expected else {
            throw fail(misuse("tensor \"\(name)\" byteCount", "\(expected) bytes for \(type) \(shape), found \(byteCount)"))
        }
        tensorNames.insert(name)
        tensors.append(Declared(name: name, shape: shape, type: type, byteCount: byteCount))
    }

    /// Writes the header and the padding up to the data section. Offsets are assigned in
    /// declaration order, each blob padded to the alignment (as gguf-py does).
    public func writeHeader() throws {
        try checkUsable()
        guard phase == .declaring else { throw fail(misuse("header", "writeHeader() called once")) }
        if alignment != GGUFParser.defaultAlignment {
            if let existing = metadata["general.alignment"], existing != .uint32(UInt32(alignment)) {
                throw fail(misuse("kv \"general.alignment\"", "UINT32 \(alignment) (the writer's alignment), found \(existing)"))
            }
            metadata["general.alignment"] = .uint32(UInt32(alignment))
        } else if let existing = metadata["general.alignment"], existing != .uint32(UInt32(alignment)) {
            throw fail(misuse("kv \"general.alignment\"", "UINT32 \(alignment) (the writer's alignment), found \(existing)"))
        }
        var offset = 0
        for i in tensors.indices {
            tensors[i].offset = offset
            offset += padded(tensors[i].byteCount)
        }
        var encoder = GGUFHeaderEncoder()
        encoder.append(GGUFParser.magic)
        encoder.append(UInt32(3))
        encoder.append(UInt64(tensors.count))
        encoder.append(UInt64(metadata.count))
        for (i, entry) in metadata.orderedEntries.enumerated() {
            encoder.append(string: entry.key)
            encoder.append(entry.value.type.rawValue)
            do {
                try encoder.append(value: entry.value, path: "kv[\(i)] \"\(entry.key)\"")
            } catch let error as GGUFHeaderEncoder.MismatchedElement {
                throw fail(misuse(error.path, "an element of the declared type \(error.declared), found \(error.found)"))
            }
        }
        for tensor in tensors {
            encoder.append(string: tensor.name)
            encoder.append(UInt32(tensor.shape.count))
            for dim in tensor.shape { encoder.append(UInt64(dim)) }
            encoder.append(tensor.type.rawValue)
            encoder.append(UInt64(tensor.offset))
        }
        let header = encoder.bytes
        try header.withUnsafeBytes { try write($0) }
        try writeZeros(padded(position) - position)
        phase = .writingData
        skipEmptyTensors()
    }

    /// Appends the next piece of tensor data, in declaration order. A piece may end inside a
    /// tensor or span several; the padding between tensors is written automatically.
    public func writeTensorData(_ bytes: UnsafeRawBufferPointer) throws {
        try checkUsable()
        guard phase == .writingData else { throw fail(misuse("tensor data", "writeHeader() before tensor data")) }
        var rest = bytes
        while !rest.isEmpty {
            guard currentTensor < tensors.count else {
                throw fail(misuse("tensor data", "no more than the declared bytes, found \(rest.count) extra"))
            }
            let take = min(rest.count, tensors[currentTensor].byteCount - writtenInCurrent)
            try write(UnsafeRawBufferPointer(rebasing: rest[..<take]))
            writtenInCurrent += take
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if writtenInCurrent == tensors[currentTensor].byteCount {
                try writeZeros(padded(writtenInCurrent) - writtenInCurrent)
                currentTensor += 1
                writtenInCurrent = 0
                skipEmptyTensors()
            }
        }
    }

    /// Checks that every declared byte arrived, flushes, fsyncs, closes and (when atomic)
    /// renames the file into place and fsyncs its directory.
    public func finish() throws {
        try checkUsable()
        guard phase == .writingData else { throw fail(misuse("finish", "writeHeader() before finish()")) }
        guard currentTensor == tensors.count else {
            let tensor = tensors[currentTensor]
            throw fail(misuse("tensor \"\(tensor.name)\" data",
                              "\(tensor.byteCount) bytes, found \(writtenInCurrent) when finish() was called"))
        }
        do {
            try flush()
            try descriptor.sync()
            // close() releases the descriptor even when it reports an error: never close twice.
            descriptorClosed = true
            try descriptor.close()
            if let temporaryPath {
                try FileSystem.rename(temporaryPath, to: path)
            }
            phase = .finished
        } catch let error as SystemCallError {
            throw fail(GGUFError(error, offset: position))
        }
        // The rename is only durable once the directory entry is synced.
        if temporaryPath != nil {
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
            do {
                let directoryDescriptor = try FileDescriptor.openDirectory(directory)
                defer { try? directoryDescriptor.close() }
                try directoryDescriptor.sync()
            } catch let error as SystemCallError {
                throw GGUFError(error)
            }
        }
    }

    // MARK: - Helpers

    private func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    private func skipEmptyTensors() {
        while currentTensor < tensors.count && tensors[currentTensor].byteCount == 0 { currentTensor += 1 }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            if buffer.count + bytes.count > Self.bufferCapacity { try flush() }
            if bytes.count >= Self.bufferCapacity {
                try descriptor.writeAll(bytes)
            } else {
                buffer.append(contentsOf: bytes)
            }
            position += bytes.count
        } catch let error as SystemCallError {
            throw fail(GGUFError(error, offset: position))
        }
    }

    private func writeZeros(_ count: Int) throws {
        guard count > 0 else { return }
        let zeros = [UInt8](repeating: 0, count: count)
        try zeros.withUnsafeBytes { try write($0) }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try descriptor.writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func checkUsable() throws {
        if let deferredError { throw fail(deferredError) }
        if phase == .failed { throw misuse("writer", "a writer that has not failed before") }
        if phase == .finished { throw misuse("writer", "no calls after finish()") }
    }

    private func misuse(_ field: String, _ expected: String) -> GGUFError {
        GGUFError(.writerMisuse, file: path, field: field, offset: nil, expected: expected)
    }

    /// Every error is final: the writer stops and removes its partial output at once.
    private func fail(_ error: GGUFError) -> GGUFError {
        if phase != .finished {
            phase = .failed
            discardOutput()
        }
        return error
    }
}
