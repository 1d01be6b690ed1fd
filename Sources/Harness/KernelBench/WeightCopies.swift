import Kernels

/// The packed weight matrix of one format, copied `count` times and prepared for one kernel path
/// each. Rotating through the copies streams the weights from DRAM when their total is several
/// times the last-level cache; one copy stays cache-resident.
final class WeightCopies: @unchecked Sendable {
    let count: Int
    let blobBytes: Int
    private let buffers: [LargeBuffer]
    private var preparedByPath: [KernelPath: [any PreparedWeights]] = [:]
    private var next = 0

    /// Copies `blob` into `count` fresh buffers.
    init(blob: UnsafeRawBufferPointer, count: Int) throws {
        self.count = count
        blobBytes = blob.count
        var buffers: [LargeBuffer] = []
        for _ in 0..<count {
            let buffer = try LargeBuffer(byteCount: blob.count)
            if let source = blob.baseAddress { buffer.pointer.copyMemory(from: source, byteCount: blob.count) }
            buffers.append(buffer)
        }
        self.buffers = buffers
    }

    /// Prepares the first `limit` copies (all by default) for `path`, once.
    func prepare(_ format: any WeightFormat, shape: MatrixShape, parameters: FormatParameters = .none,
                 path: KernelPath, limit: Int = .max) throws -> [any PreparedWeights] {
        if let done = preparedByPath[path] { return done }
        let prepared = try buffers.prefix(limit).map { buffer in
            try format.prepare(UnsafeRawBufferPointer(start: buffer.pointer, count: blobBytes),
                               rows: shape.rows, columns: shape.columns, parameters: parameters, path: path)
        }
        preparedByPath[path] = prepared
        return prepared
    }

    /// The next copy in rotation.
    func nextIndex() -> Int {
        defer { next = (next + 1) % count }
        return next
    }

    /// The next of `set`'s prepared copies (a set may cover only the first few copies).
    func next(in set: [any PreparedWeights]) -> any PreparedWeights {
        set[nextIndex() % set.count]
    }
}
