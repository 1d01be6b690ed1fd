import Foundation
import GGUF
import Kernels

/// Writes a synthetic model as a GGUF file in a stream, in constant memory: one reusable buffer
/// holds at most one tensor's packed bytes (or a piece of rows of a large row-local tensor), the
/// disk space is checked first, and the file appears under its name only when complete
/// (GGUFWriter's temporary file, fsync and rename).
public struct SyntheticModelWriter {
    /// The model to write.
    public let layout: SyntheticModelLayout
    /// Worker threads that make the weights.
    public var threads: Int
    /// Largest piece of a row-local tensor made at once.
    public var pieceBytes: Int
    /// Draw a progress bar on stderr.
    public var showProgress: Bool

    /// What a finished write did.
    public struct Report: Sendable {
        /// The final path.
        public var path: String
        /// File size in bytes.
        public var bytes: Int
        /// Wall-clock seconds from the disk check to the rename.
        public var seconds: Double
        /// Size of the reusable tensor buffer (the largest thing held in memory).
        public var bufferBytes: Int
    }

    /// Makes a writer.
    public init(layout: SyntheticModelLayout, threads: Int, pieceBytes: Int = 32 << 20, showProgress: Bool = true) {
        self.layout = layout
        self.threads = max(1, threads)
        self.pieceBytes = max(1 << 16, pieceBytes)
        self.showProgress = showProgress
    }

    /// The reusable buffer's size: the largest whole ternary tensor or row piece.
    public var bufferBytes: Int {
        let generator = SyntheticWeightGenerator(spec: layout.spec)
        return layout.tensors.map { tensor -> Int in
            guard let rowBytes = generator.rowBytes(of: tensor) else { return tensor.byteCount }
            return min(tensor.byteCount, max(1, pieceBytes / rowBytes) * rowBytes)
        }.max() ?? 0
    }

    /// Writes the file. Throws before creating anything when the disk is too small.
    @discardableResult
    public func write(to path: String) throws -> Report {
        let start = Date()
        let directory = (path as NSString).deletingLastPathComponent
        try DiskSpace.require(layout.fileBytesEstimate, in: directory.isEmpty ? "." : directory, for: path)

        let generator = SyntheticWeightGenerator(spec: layout.spec)
        let capacity = bufferBytes
        let buffer = try PageAlignedMemory(byteCount: capacity)
        let pool = WorkerPool(threadCount: threads)

        let writer = try GGUFWriter(path: path, alignment: SyntheticModelLayout.alignment, atomic: true)
        for (key, value) in layout.metadata.orderedEntries { writer.setMetadata(key, value) }
        for tensor in layout.tensors {
            try writer.addTensor(name: tensor.name, shape: tensor.shape, type: tensor.type, byteCount: tensor.byteCount)
        }
        try writer.writeHeader()

        let progress = showProgress
            ? ProgressBar(label: "generate \(layout.spec.shape.name) \(layout.spec.weightType.rawValue)",
                          total: layout.dataSectionBytes)
            : nil
        for tensor in layout.tensors {
            if let rowBytes = generator.rowBytes(of: tensor) {
                let rowsPerPiece = max(1, capacity / rowBytes)
                var row = 0
                while row < tensor.rows {
                    let end = min(tensor.rows, row + rowsPerPiece)
                    let piece = UnsafeMutableRawBufferPointer(start: buffer.base, count: (end - row) * rowBytes)
                    try generator.fillRows(tensor, rows: row..<end, into: piece, pool: pool)
                    try writer.writeTensorData(UnsafeRawBufferPointer(piece))
                    progress?.advance(by: piece.count)
                    row = end
                }
            } else {
                let blob = UnsafeMutableRawBufferPointer(start: buffer.base, count: tensor.byteCount)
                blob.initializeMemory(as: UInt8.self, repeating: 0)
                try generator.fill(tensor, into: blob, pool: pool)
                try writer.writeTensorData(UnsafeRawBufferPointer(blob))
                progress?.advance(by: blob.count)
            }
            progress?.advance(by: SyntheticModelLayout.padded(tensor.byteCount) - tensor.byteCount)
        }
        try writer.finish()
        progress?.finish()

        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        return Report(path: path, bytes: size ?? layout.fileBytesEstimate,
                      seconds: Date().timeIntervalSince(start), bufferBytes: capacity)
    }
}
