import Kernels
import Testing

/// The I2_S VNNI kernels (AVX-512 VNNI and AVX-VNNI) against the scalar reference and the AVX2
/// kernel, bit for bit: ragged row counts (odd, not dividing by the 2-row tile or 1-3 threads),
/// rows spanning several 256 KiB row chunks, batches 1, 3, 8, 33 and 67 (every tail of the
/// 8-token groups). Each path runs only where this CPU has it; elsewhere the test is skipped and
/// says why.
@Suite struct I2SVNNIKernelTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        var rows: Int
        var columns: Int
        var batches: [Int]
        var testDescription: String { "\(rows)x\(columns) batches \(batches)" }
    }

    static let shapes: [Shape] = [
        Shape(rows: 1, columns: 128, batches: [1, 3, 8, 33, 67]),
        Shape(rows: 37, columns: 384, batches: [1, 3, 8, 33, 67]),
        Shape(rows: 19, columns: 2176, batches: [1, 3, 8, 33, 67]),
        // 64 KiB rows (K = 262144) make 4-row chunks: 11 rows cross two chunk boundaries and
        // end on a single row.
        Shape(rows: 11, columns: 262_144, batches: [1, 9]),
        // K = 16384: 64-row chunks; 131 rows = two full chunks and a 3-row tail.
        Shape(rows: 131, columns: 16384, batches: [2, 17]),
    ]

    static let vnniPaths: [KernelPath] = [.avx512vnni, .avxvnni]

    static func skipReason(_ path: KernelPath) -> String? {
        #if arch(x86_64)
        let missing = CPUFeatures.current.missing(path.requiredFeatures)
        return missing.isEmpty ? nil : "this CPU lacks \(missing.joined(separator: ", "))"
        #else
        return "VNNI kernels exist only on x86-64"
        #endif
    }

    static var runnable: Bool { vnniPaths.contains { skipReason($0) == nil } }

    @Test("VNNI I2_S products equal the scalar reference and AVX2 bit for bit",
          .enabled(if: runnable, "this CPU has neither AVX-512 VNNI nor AVX-VNNI (with AVX2, FMA, F16C)"),
          arguments: shapes)
    func equalsReference(shape: Shape) throws {
        let format = I2SFormat()
        var random = TernaryRandom(seed: UInt64(shape.rows &* 31 &+ shape.columns))
        let trits = random.trits(shape.rows * shape.columns)
        let blob = try packedBlob(format, trits: trits, rows: shape.rows, columns: shape.columns, scale: 0.75,
                                  parameters: FormatParameters())
        let paths = Self.vnniPaths.filter { Self.skipReason($0) == nil }
        try blob.withUnsafeBytes { blob in
            let avx2 = try format.prepare(blob, rows: shape.rows, columns: shape.columns,
                                          parameters: FormatParameters(), path: .avx2)
            let vnni = try paths.map {
                try format.prepare(blob, rows: shape.rows, columns: shape.columns, parameters: FormatParameters(), path: $0)
            }
            for weights in vnni { #expect(weights.path != .avx2) }
            for batch in shape.batches {
                let x = TernaryKernelTests.activations(&random, batch: batch, columns: shape.columns)
                var expected = [Float](repeating: .nan, count: batch * shape.rows)
                try x.withUnsafeBufferPointer { xs in
                    try expected.withUnsafeMutableBufferPointer {
                        try format.referenceMultiply(blob, rows: shape.rows, columns: shape.columns,
                                                     parameters: FormatParameters(), activations: xs, batch: batch, into: $0)
                    }
                }
                #expect(expected.allSatisfy { $0.isFinite })
                for weights in [avx2] + vnni {
                    for threads in [1, 2, 3] {
                        let output = Self.multiply(weights, x, batch: batch, threads: threads)
                        let bad = zip(output, expected).enumerated().first { $0.element.0.bitPattern != $0.element.1.bitPattern }
                        #expect(bad == nil, """
                            \(shape.rows)x\(shape.columns) \(weights.path.rawValue) batch \(batch) threads \(threads): \
                            element \(bad?.offset ?? -1) is \(bad?.element.0 ?? 0), reference \(bad?.element.1 ?? 0)
                            """)
                    }
                }
            }
        }
    }

    @Test("VNNI I2_S handles the largest activations (every q = -127 or +127) without overflow",
          .enabled(if: runnable, "this CPU has neither AVX-512 VNNI nor AVX-VNNI (with AVX2, FMA, F16C)"))
    func extremeActivations() throws {
        let format = I2SFormat()
        let rows = 5, columns = 8192
        // Every weight +1 (code 2): Σ code·q reaches 2·127·8192, far past int16.
        let trits = [Int8](repeating: 1, count: rows * columns)
        let blob = try packedBlob(format, trits: trits, rows: rows, columns: columns, scale: 1, parameters: FormatParameters())
        var x = [Float](repeating: 1, count: 3 * columns)
        for k in 0..<columns { x[columns + k] = -1; x[2 * columns + k] = k.isMultiple(of: 2) ? 1 : -1 }
        try blob.withUnsafeBytes { blob in
            var expected = [Float](repeating: .nan, count: 3 * rows)
            try x.withUnsafeBufferPointer { xs in
                try expected.withUnsafeMutableBufferPointer {
                    try format.referenceMultiply(blob, rows: rows, columns: columns, parameters: FormatParameters(),
                                                 activations: xs, batch: 3, into: $0)
                }
            }
            #expect(expected[0] == Float(columns) && expected[rows] == -Float(columns) && expected[2 * rows] == 0)
            for path in Self.vnniPaths where Self.skipReason(path) == nil {
                let weights = try format.prepare(blob, rows: rows, columns: columns, parameters: FormatParameters(), path: path)
                #expect(bitwiseEqual(Self.multiply(weights, x, batch: 3, threads: 2), expected), "\(path.rawValue)")
            }
        }
    }

    @Test("formats without VNNI kernels run and report AVX2 under a VNNI path",
          .enabled(if: runnable, "this CPU has neither AVX-512 VNNI nor AVX-VNNI (with AVX2, FMA, F16C)"))
    func otherFormatsFallBack() throws {
        let path = Self.vnniPaths.first { Self.skipReason($0) == nil }!
        var random = TernaryRandom(seed: 3)
        let tq2 = TQ2_0Format()
        let blob = try packedBlob(tq2, trits: random.trits(4 * 256), rows: 4, columns: 256, scale: 1, parameters: FormatParameters())
        try blob.withUnsafeBytes { blob in
            let weights = try tq2.prepare(blob, rows: 4, columns: 256, parameters: FormatParameters(), path: path)
            #expect(weights.path == .avx2)
        }
        let q8 = WeightFormats.format(.q8_0)
        var floats = [Float](repeating: 0.5, count: 2 * 64)
        floats[3] = -2
        var q8Blob = [UInt8](repeating: 0, count: q8.byteCount(rows: 2, columns: 64, parameters: FormatParameters()))
        try floats.withUnsafeBufferPointer { f in
            try q8Blob.withUnsafeMutableBytes { try q8.quantize(f, rows: 2, columns: 64, parameters: FormatParameters(), into: $0) }
        }
        try q8Blob.withUnsafeBytes { blob in
            let weights = try q8.prepare(blob, rows: 2, columns: 64, parameters: FormatParameters(), path: path)
            #expect(weights.path == .avx2)
        }
    }

    @Test("preparing a VNNI path this CPU lacks is refused with the missing features named")
    func refusedWhereMissing() throws {
        let format = I2SFormat()
        let blob = try packedBlob(format, trits: [Int8](repeating: 0, count: 128), rows: 1, columns: 128, scale: 1,
                                  parameters: FormatParameters())
        blob.withUnsafeBytes { blob in
            for path in Self.vnniPaths {
                guard let reason = Self.skipReason(path) else { continue }
                #expect(throws: KernelError.self, "\(path.rawValue): \(reason)") {
                    _ = try format.prepare(blob, rows: 1, columns: 128, parameters: FormatParameters(), path: path)
                }
            }
        }
    }

    static func multiply(_ weights: any PreparedWeights, _ x: [Float], batch: Int, threads: Int) -> [Float] {
        let pool = WorkerPool(threadCount: threads)
        var output = [Float](repeating: .nan, count: batch * weights.rows)
        x.withUnsafeBufferPointer { xs in
            output.withUnsafeMutableBufferPointer {
                weights.multiply(xs.baseAddress!, batch: batch, into: $0.baseAddress!, pool: pool)
            }
        }
        return output
    }
}
