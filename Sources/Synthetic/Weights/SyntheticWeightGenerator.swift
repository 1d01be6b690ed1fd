import Foundation
import GGUF
import Kernels

/// Makes the bytes of synthetic tensors straight into their stored format, from the counter
/// streams of (seed, tensor name, element index): any tensor, or any block of its rows, can be
/// made alone, in any order, on any thread, and never needs a float copy of the whole tensor.
///
/// Values: projections are trits (TernaryDistribution) times α = sqrt(2/π)/sqrt(K); norm weights
/// are 1 + 0.1·N(0,1); the token embedding is (2/sqrt(n_embd))·N(0,1), so with a unit-RMS final
/// hidden state the logits have a standard deviation of about 2.
public struct SyntheticWeightGenerator: Sendable {
    /// The model whose tensors are made.
    public let spec: SyntheticModelSpec

    /// Elements per unit of work: small enough that a worker's trit or float buffer stays in L2.
    static let chunkElements = 1 << 18

    /// Makes a generator for `spec`.
    public init(spec: SyntheticModelSpec) {
        self.spec = spec
    }

    /// The per-tensor scale of a projection with K columns.
    public func scale(of tensor: SyntheticTensor) -> Float {
        TernaryDistribution.scale(columns: tensor.columns)
    }

    /// The value stream of a tensor.
    public func stream(of tensor: SyntheticTensor) -> CounterRandom {
        CounterRandom(seed: spec.seed, name: tensor.name)
    }

    /// Bytes per row when the tensor's blob is row-local (row r at r·rowBytes, nothing else), so it
    /// can be made and written in row pieces; nil for the ternary formats, whose blobs are tiled or
    /// end in a scale trailer and are made whole.
    public func rowBytes(of tensor: SyntheticTensor) -> Int? {
        if tensor.role == .linear && spec.weightType.isTernary { return nil }
        return tensor.byteCount / tensor.rows
    }

    /// Fills a tensor's whole blob (`blob.count == tensor.byteCount`, zero-filled by the caller,
    /// which matters for the padding of TL1/TL2 and the trailers).
    public func fill(_ tensor: SyntheticTensor, into blob: UnsafeMutableRawBufferPointer, pool: WorkerPool) throws {
        precondition(blob.count == tensor.byteCount, "blob of \(tensor.name) has the wrong size")
        if rowBytes(of: tensor) != nil {
            try fillRows(tensor, rows: 0..<tensor.rows, into: blob, pool: pool)
        } else {
            try fillTernary(tensor, into: blob, pool: pool)
        }
    }

    /// Fills rows `rows` of a row-local tensor into `piece` (`rows.count · rowBytes` bytes).
    public func fillRows(_ tensor: SyntheticTensor, rows: Range<Int>, into piece: UnsafeMutableRawBufferPointer,
                         pool: WorkerPool) throws {
        guard let rowBytes = rowBytes(of: tensor) else {
            preconditionFailure("\(tensor.name) is not row-local")
        }
        precondition(piece.count == rows.count * rowBytes && rows.upperBound <= tensor.rows)
        let k = tensor.columns
        let rowsPerChunk = max(1, Self.chunkElements / k)
        let chunks = (rows.count + rowsPerChunk - 1) / rowsPerChunk
        let floats = WorkerScratch<Float>(workers: pool.threadCount, capacity: min(rows.count, rowsPerChunk) * k)
        let trits = WorkerScratch<Int8>(workers: pool.threadCount,
                                        capacity: tensor.role == .linear ? min(rows.count, rowsPerChunk) * k : 0)
        let failure = FirstFailure()
        pool.parallelFor(chunks) { chunkRange, worker in
            for chunk in chunkRange where !failure.happened {
                let first = rows.lowerBound + chunk * rowsPerChunk
                let last = min(rows.upperBound, first + rowsPerChunk)
                let values = floats.buffer(worker)
                self.floatValues(tensor, elements: first * k..<last * k, trits: trits.buffer(worker), into: values)
                let out = UnsafeMutableRawBufferPointer(
                    rebasing: piece[(first - rows.lowerBound) * rowBytes..<(last - rows.lowerBound) * rowBytes])
                do {
                    try SyntheticEncoding.encode(UnsafeBufferPointer(start: values, count: (last - first) * k),
                                                 rows: last - first, columns: k, type: tensor.type, into: out)
                } catch {
                    failure.record(error)
                }
            }
        }
        try failure.rethrow()
    }

    /// The float values of `elements` (flattened, row-major) of a tensor.
    func floatValues(_ tensor: SyntheticTensor, elements: Range<Int>, trits: UnsafeMutablePointer<Int8>,
                     into out: UnsafeMutablePointer<Float>) {
        let stream = self.stream(of: tensor)
        switch tensor.role {
        case .linear:
            spec.distribution.fill(stream, elements: elements, into: trits)
            let alpha = scale(of: tensor)
            for i in 0..<elements.count { out[i] = Float(trits[i]) * alpha }
        case .norm:
            for (i, e) in elements.enumerated() { out[i] = 1 + 0.1 * stream.gaussian(UInt64(e)) }
        case .tokenEmbedding:
            let sigma = 2 / Float(spec.shape.hidden).squareRoot()
            for (i, e) in elements.enumerated() { out[i] = sigma * stream.gaussian(UInt64(e)) }
        }
    }

    /// Packs a ternary projection: trits for blocks of rows (whole tiles for TL1/TL2), each block
    /// handed to the format's packer, which writes it and the scale into the tensor's blob.
    private func fillTernary(_ tensor: SyntheticTensor, into blob: UnsafeMutableRawBufferPointer,
                             pool: WorkerPool) throws {
        let packer = try SyntheticTernaryPacker(format: spec.weightType, tensor: tensor)
        let k = tensor.columns
        let granularity = packer.rowGranularity
        let rowsPerChunk = max(1, Self.chunkElements / k / granularity) * granularity
        let chunks = (tensor.rows + rowsPerChunk - 1) / rowsPerChunk
        let trits = WorkerScratch<Int8>(workers: pool.threadCount, capacity: min(tensor.rows, rowsPerChunk) * k)
        let stream = self.stream(of: tensor)
        let alpha = scale(of: tensor)
        let failure = FirstFailure()
        pool.parallelFor(chunks) { chunkRange, worker in
            for chunk in chunkRange where !failure.happened {
                let first = chunk * rowsPerChunk
                let last = min(tensor.rows, first + rowsPerChunk)
                let buffer = trits.buffer(worker)
                self.spec.distribution.fill(stream, elements: first * k..<last * k, into: buffer)
                do {
                    try packer.pack(UnsafeBufferPointer(start: buffer, count: (last - first) * k),
                                    rows: first..<last, scale: alpha, into: blob)
                } catch {
                    failure.record(error)
                }
            }
        }
        try failure.rethrow()
    }
}
