import Kernels
import TestSupport
import Testing

/// Batched products (GEMM) equal per-token products (GEMV) bit for bit, for every format in the
/// registry on every fast path this CPU runs. The kernels sum each output in one canonical order
/// per path (float_kernel_template.h, quant_kernel_template.h), so a result never depends on the
/// batch size, on the register tile a row or token lands in, or on how rows are split across
/// workers; `bitbench eval` relies on it.
@Suite("Batched products equal per-token products bit for bit")
struct BatchIndependenceTests {
    static let batches = [1, 2, 5, 6, 7, 13, 64]
    static let threadCounts = [1, 2, 3]

    /// Ragged shapes the format accepts: row lengths that are not multiples of 8, 16, 32, 64 or the
    /// GEMM k-slices (512 portable, 1024 AVX2), or span several slices with a tail; row counts that
    /// are not multiples of the 2-, 4- or 16-row tiles and chunks. For whole blocks of 32: 1, 3, 9
    /// (one 8-block group plus one), 33 and 65 blocks. A tiled format that takes none of them is
    /// tested on the smallest bitnet.cpp preset shape it accepts.
    static func shapes(for format: any WeightFormat) -> [(rows: Int, columns: Int)] {
        let block = format.blockSize
        let lengths = block == 1 ? [7, 67, 1000, 1035, 2050] : [1, 3, 9, 33, 65].map { $0 * block }
        let candidates = [(1, lengths[4]), (5, lengths[0]), (37, lengths[1]), (67, lengths[2]), (21, lengths[3]),
                          (13, lengths[4])]
        let small = candidates.filter { FastPathAgreementTests.fits(format, $0) }
        if !small.isEmpty { return small.map { (rows: $0.0, columns: $0.1) } }
        return FastPathAgreementTests.shapes(for: format).prefix(1).map { (rows: $0.0, columns: $0.1) }
    }

    /// Activations whose magnitudes spread over several binades, so that summing in another order
    /// changes the low bits (a test that could not fail would prove nothing).
    static func activations(count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        let values = generator.floats(count)
        let spread = generator.floats(count)
        return zip(values, spread).map { value, s in value * Float(sign: .plus, exponent: Int((4 * s).rounded(.down)), significand: 1) }
    }

    @Test("GEMM at batches 1-64 on 1-3 threads equals the GEMV of each token alone",
          arguments: WeightFormats.all.map(\.id))
    func gemmEqualsPerTokenGEMV(id: WeightFormatID) throws {
        let format = WeightFormats.format(id)
        let shapes = Self.shapes(for: format)
        try #require(!shapes.isEmpty, "no test shape fits \(id.rawValue)")
        let pools = Self.threadCounts.map { WorkerPool(threadCount: $0, pinning: .none) }
        let maxBatch = Self.batches.max() ?? 1
        for (index, shape) in shapes.enumerated() {
            let matrix = try TestMatrix(format: format, rows: shape.rows, columns: shape.columns, seed: 500 + UInt64(index))
            let x = Self.activations(count: maxBatch * shape.columns, seed: 900 + UInt64(index))
            for path in fastPaths {
                let label = "\(id.rawValue) \(path.rawValue) m=\(shape.rows) k=\(shape.columns)"
                try matrix.blob.withUnsafeBytes { blob in
                    // Prepared once (a repacking format would otherwise repack for every call).
                    let weights = try format.prepare(blob, rows: shape.rows, columns: shape.columns, parameters: .none, path: path)
                    // The canonical result: each token alone through the GEMV on one thread.
                    var single: [UInt32] = []
                    for b in 0..<maxBatch {
                        single += Self.multiply(weights, x, from: b, batch: 1, pool: pools[0], label: label)
                    }
                    for pool in pools {
                        for batch in Self.batches {
                            let output = Self.multiply(weights, x, from: 0, batch: batch, pool: pool, label: label)
                            let mismatch = zip(output, single).enumerated().first { $0.element.0 != $0.element.1 }
                            #expect(mismatch == nil, """
                                \(label) batch \(batch) threads \(pool.threadCount): token \((mismatch?.offset ?? 0) / shape.rows) \
                                row \((mismatch?.offset ?? 0) % shape.rows) is \(Float(bitPattern: mismatch?.element.0 ?? 0)), \
                                alone \(Float(bitPattern: mismatch?.element.1 ?? 0))
                                """)
                        }
                    }
                }
            }
        }
    }

    /// Tokens [from, from + batch) of `x` through `weights`, as bit patterns; records an issue if
    /// the kernel wrote outside its output.
    static func multiply(_ weights: any PreparedWeights, _ x: [Float], from: Int, batch: Int, pool: WorkerPool,
                         label: String) -> [UInt32] {
        let rows = weights.rows, columns = weights.columns, guardFloats = 16
        let sentinel = Float(bitPattern: 0x7fc0_dead)
        var buffer = [Float](repeating: sentinel, count: batch * rows + 2 * guardFloats)
        x.withUnsafeBufferPointer { xs in
            buffer.withUnsafeMutableBufferPointer { y in
                weights.multiply(xs.baseAddress! + from * columns, batch: batch, into: y.baseAddress! + guardFloats, pool: pool)
            }
        }
        let guards = buffer[..<guardFloats] + buffer[(buffer.count - guardFloats)...]
        #expect(guards.allSatisfy { $0.bitPattern == sentinel.bitPattern }, "output overrun: \(label) batch \(batch)")
        return buffer[guardFloats..<(guardFloats + batch * rows)].map(\.bitPattern)
    }

    @Test("the order is really fixed: a product summed in index order differs from the kernels' in the low bits")
    func activationsExposeOrder() throws {
        // Guards the test above against inputs so tame that every order gives the same float.
        let format = WeightFormats.format(.f32)
        let columns = 2050
        let matrix = try TestMatrix(format: format, rows: 8, columns: columns, seed: 77)
        let x = Self.activations(count: columns, seed: 78)
        let kernel = try matrix.prepared(x, batch: 1, path: fastPaths.last ?? .portable,
                                         pool: WorkerPool(threadCount: 1, pinning: .none)).output
        let sequential = (0..<8).map { m in
            (0..<columns).reduce(Float(0)) { $0 + matrix.dequantized[m * columns + $1] * x[$1] }
        }
        #expect(zip(kernel, sequential).contains { $0.bitPattern != $1.bitPattern })
    }
}
