import CKernels
import Foundation
import Kernels
import TestSupport
import Testing

/// I2_S tensors whose K is not a multiple of 128 (the 3B ffn_down, K = 8640), read and written in
/// bitnet.cpp's flat layout (FORMATS.md 2.1, quantize_i2_s): blocks are cut from the flattened
/// tensor, so rows start and end inside blocks. Every kernel path must equal the scalar reference
/// bit for bit, on any row range, and K % 128 == 0 tensors keep their bytes.
@Suite struct I2SFlatLayoutTests {
    /// Shapes with K % 128 != 0 (K % 128 = 32, 64, 96, and K < 128) plus one with K % 128 == 0.
    static let shapes: [(rows: Int, columns: Int)] = [(2, 8640), (6, 8640), (4, 160), (8, 224), (12, 352), (8, 96), (3, 256)]

    /// FORMATS.md 2.1 written out on its own: flat element e sits in block e / 128, byte e % 32 of
    /// it, at shift 6 - 2·((e % 128) / 32).
    static func flatDecode(_ blob: [UInt8], count: Int) -> [Int8] {
        (0..<count).map { e in
            let j = e % 128
            return Int8((blob[32 * (e / 128) + j % 32] >> UInt8(6 - 2 * (j / 32))) & 3) - 1
        }
    }

    static func reason(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let error as KernelError { return error.description } catch { return "\(error)" }
    }

    @Test("the packed bytes follow the flat rule; unpack and dequantize return the trits",
          arguments: shapes.map { [$0.rows, $0.columns] })
    func flatBytes(shape: [Int]) throws {
        let (rows, columns) = (shape[0], shape[1])
        let format = I2SFormat()
        var random = TernaryRandom(seed: UInt64(rows * 31 + columns))
        let trits = random.trits(rows * columns)
        let blob = try packedBlob(format, trits: trits, rows: rows, columns: columns, scale: 0.75, parameters: .none)
        #expect(blob.count == rows * columns / 4 + 32)
        let decoded = Self.flatDecode(blob, count: rows * columns)
        #expect(decoded == trits, "\(rows)x\(columns): bytes do not follow the flat layout")
        let trailer = rows * columns / 4
        #expect(blob.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: trailer, as: Float.self) } == 0.75)
        #expect(blob[(trailer + 4)...].allSatisfy { $0 == 0 })
        let (back, scale) = try blob.withUnsafeBytes { try format.unpackTernary($0, rows: rows, columns: columns, parameters: .none) }
        #expect(back == trits && scale == 0.75)
        var values = [Float](repeating: .nan, count: rows * columns)
        try blob.withUnsafeBytes { b in
            try values.withUnsafeMutableBufferPointer { try format.dequantize(b, rows: rows, columns: columns, parameters: .none, into: $0) }
        }
        #expect(bitwiseEqual(values, trits.map { Float($0) * 0.75 }))
    }

    @Test("numpy reads our K = 8640 and K = 160 blobs with the flat rule")
    func numpyAgrees() throws {
        let directory = try Fixtures.temporaryDirectory("bitbench-i2s")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (rows, columns) in [(4, 8640), (4, 160), (8, 96)] {
            var random = TernaryRandom(seed: UInt64(columns))
            let trits = random.trits(rows * columns)
            let blob = try packedBlob(I2SFormat(), trits: trits, rows: rows, columns: columns, scale: 1.5, parameters: .none)
            let blobURL = directory.appendingPathComponent("w.bin"), tritURL = directory.appendingPathComponent("t.bin")
            try Data(blob).write(to: blobURL)
            try Data(trits.map { UInt8(bitPattern: $0) }).write(to: tritURL)
            // The block is 4 lanes x 32 bytes: element 128b + 32·lane + j is byte j at shift 6 - 2·lane.
            let script = """
            import sys, numpy as np
            m, k = int(sys.argv[3]), int(sys.argv[4])
            raw = np.fromfile(sys.argv[1], dtype=np.uint8)
            blocks = raw[:m * k // 4].reshape(-1, 32)
            codes = np.stack([(blocks >> s) & 3 for s in (6, 4, 2, 0)], axis=1).reshape(m, k).astype(np.int8) - 1
            trits = np.fromfile(sys.argv[2], dtype=np.int8).reshape(m, k)
            scale = raw[m * k // 4:m * k // 4 + 4].view(np.float32)[0]
            print("same" if np.array_equal(codes, trits) and scale == 1.5 and raw.size == m * k // 4 + 32 else "differ")
            """
            let answer = try Fixtures.runPython(script, arguments: [blobURL.path, tritURL.path, "\(rows)", "\(columns)"])
            #expect(answer.trimmingCharacters(in: .whitespacesAndNewlines) == "same", "\(rows)x\(columns): numpy says \(answer)")
        }
    }

    @Test("K % 128 == 0 tensors keep the per-row bytes they always had")
    func multiplesOf128Unchanged() throws {
        for (rows, columns) in [(1, 128), (3, 384), (5, 640), (7, 2560)] {
            var random = TernaryRandom(seed: UInt64(rows + columns))
            let trits = random.trits(rows * columns)
            let blob = try packedBlob(I2SFormat(), trits: trits, rows: rows, columns: columns, scale: 2, parameters: .none)
            // The row-owned layout: row m at byte m·K/4, its own 128-weight blocks.
            var expected = [UInt8](repeating: 0, count: rows * columns / 4 + 32)
            for m in 0..<rows {
                for block in 0..<(columns / 128) {
                    for j in 0..<32 {
                        var byte: UInt8 = 0
                        for lane in 0..<4 {
                            byte |= UInt8(trits[m * columns + 128 * block + 32 * lane + j] + 1) << UInt8(6 - 2 * lane)
                        }
                        expected[m * columns / 4 + 32 * block + j] = byte
                    }
                }
            }
            withUnsafeBytes(of: Float(2).bitPattern.littleEndian) { expected.replaceSubrange((rows * columns / 4)..<(rows * columns / 4 + 4), with: $0) }
            #expect(blob == expected, "\(rows)x\(columns)")
            #expect(I2SFormat().ternaryRowGranularity(rows: rows, columns: columns, parameters: .none) == 1)
        }
    }

    @Test("row slices start on whole blocks: granularity 128 / gcd(K, 128), slices pack the same bytes")
    func rowSlices() throws {
        let format = I2SFormat()
        for (columns, step) in [(8640, 2), (160, 4), (224, 4), (192, 2), (96, 4), (128, 1), (3200, 1)] {
            #expect(format.ternaryRowGranularity(rows: 8, columns: columns, parameters: .none) == step, "K=\(columns)")
        }
        let (rows, columns) = (6, 8640)
        var random = TernaryRandom(seed: 8640)
        let trits = random.trits(rows * columns)
        let whole = try packedBlob(format, trits: trits, rows: rows, columns: columns, scale: 1, parameters: .none)
        var sliced = [UInt8](repeating: 0x5A, count: whole.count)
        for start in stride(from: 0, to: rows, by: 2).reversed() {
            try trits[(start * columns)..<((start + 2) * columns)].withUnsafeBufferPointer { t in
                try sliced.withUnsafeMutableBytes {
                    try format.packTernary(t, rowRange: start..<(start + 2), rows: rows, columns: columns, scale: 1, parameters: .none, into: $0)
                }
            }
        }
        #expect(sliced == whole)
        // An odd row would share its first block with the row before: refused.
        let odd = Self.reason {
            try trits.withUnsafeBufferPointer { t in
                try sliced.withUnsafeMutableBytes {
                    try format.packTernary(t, rowRange: 1..<3, rows: rows, columns: columns, scale: 1, parameters: .none, into: $0)
                }
            }
        }
        #expect(odd?.contains("aligned to 2 rows") == true, "\(odd ?? "accepted")")
    }

    @Test("shapes off the flat grid are refused with K, M and the rule")
    func refusedShapes() throws {
        let format = I2SFormat()
        let k = Self.reason { try format.checkShape(rows: 4, columns: 200, parameters: .none) }
        #expect(k?.contains("K % 32 == 0") == true && k?.contains("K=200") == true, "\(k ?? "accepted")")
        let mk = Self.reason { try format.checkShape(rows: 3, columns: 8640, parameters: .none) }
        #expect(mk?.contains("M*K % 128 == 0") == true && mk?.contains("M=3") == true && mk?.contains("K=8640") == true,
                "\(mk ?? "accepted")")
        let small = Self.reason { try format.checkShape(rows: 2, columns: 32, parameters: .none) }
        #expect(small?.contains("M*K % 128 == 0") == true, "\(small ?? "accepted")")
        #expect(Self.reason { try format.checkShape(rows: 4, columns: 32, parameters: .none) } == nil)
        #expect(throws: KernelError.self) {
            try [UInt8](repeating: 0, count: 8 * 1024).withUnsafeBytes {
                _ = try format.prepare($0, rows: 3, columns: 8640, parameters: .none, path: .portable)
            }
        }
    }

    @Test("the 3B ffn_down shape (3200 x 8640): every path equals the scalar reference bit for bit")
    func threeBShape() throws {
        let (rows, columns) = (3200, 8640)
        let format = I2SFormat()
        var random = TernaryRandom(seed: 3200)
        let trits = random.trits(rows * columns)
        let blob = try packedBlob(format, trits: trits, rows: rows, columns: columns, scale: 0.79785156, parameters: .none)
        try blob.withUnsafeBytes { blob in
            let prepared = try availableTernaryPaths.filter { $0 != .scalar }.map {
                try format.prepare(blob, rows: rows, columns: columns, parameters: .none, path: $0)
            }
            for batch in [1, 8] {
                let x = TernaryKernelTests.activations(&random, batch: batch, columns: columns)
                var expected = [Float](repeating: .nan, count: batch * rows)
                try x.withUnsafeBufferPointer { xs in
                    try expected.withUnsafeMutableBufferPointer {
                        try format.referenceMultiply(blob, rows: rows, columns: columns, parameters: .none,
                                                     activations: xs, batch: batch, into: $0)
                    }
                }
                #expect(expected.allSatisfy { $0.isFinite })
                for weights in prepared {
                    for threads in [1, 2, 3] {
                        var output = [Float](repeating: .nan, count: batch * rows)
                        x.withUnsafeBufferPointer { xs in
                            output.withUnsafeMutableBufferPointer {
                                weights.multiply(xs.baseAddress!, batch: batch, into: $0.baseAddress!, pool: WorkerPool(threadCount: threads))
                            }
                        }
                        let mismatch = output.indices.first { output[$0].bitPattern != expected[$0].bitPattern }
                        #expect(mismatch == nil, "\(weights.path.rawValue) batch \(batch) threads \(threads): first mismatch at \(mismatch ?? -1)")
                    }
                }
            }
        }
    }

    @Test("the C kernels on row ranges of 1-5 rows starting at every row (odd ones too) write exactly those rows",
          arguments: shapes.map { [$0.rows, $0.columns] })
    func rowRanges(shape: [Int]) throws {
        let (rows, columns) = (shape[0], shape[1])
        let format = I2SFormat()
        var random = TernaryRandom(seed: UInt64(rows * 7 + columns))
        let blob = try packedBlob(format, trits: random.trits(rows * columns), rows: rows, columns: columns,
                                  scale: 0.5 + random.uniform(), parameters: .none)
        let alpha = blob.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: rows * columns / 4, as: Float.self) }
        for batch in [1, 3, 8, 33] {
            let x = TernaryKernelTests.activations(&random, batch: batch, columns: columns)
            var expected = [Float](repeating: .nan, count: batch * rows)
            try blob.withUnsafeBytes { b in
                try x.withUnsafeBufferPointer { xs in
                    try expected.withUnsafeMutableBufferPointer {
                        try format.referenceMultiply(b, rows: rows, columns: columns, parameters: .none, activations: xs, batch: batch, into: $0)
                    }
                }
            }
            var q = [Int8](repeating: 0, count: batch * columns)
            var scales = [Float](repeating: 0, count: batch), sums = [Int32](repeating: 0, count: batch)
            bb_ternary_quantize_i8s_portable(x, Int64(columns), Int64(batch), &q, Int64(columns), &scales, &sums)
            var kernels: [(String, (Int64, Int64, UnsafeMutablePointer<Float>) -> Void)] = []
            blob.withUnsafeBytes { b in
                let w = b.baseAddress!.assumingMemoryBound(to: UInt8.self)
                kernels.append(("portable", { r0, r1, out in
                    bb_ternary_i2s_portable(w, Int64(columns), r0, r1, q, Int64(columns), scales, sums, Int64(batch), alpha, out, Int64(rows))
                }))
                #if arch(x86_64)
                if CPUFeatures.current.supportsAVX2Kernels {
                    kernels.append(("avx2", { r0, r1, out in
                        bb_ternary_i2s_avx2(w, Int64(columns), r0, r1, q, Int64(columns), scales, sums, Int64(batch), alpha, out, Int64(rows))
                    }))
                }
                #endif
                for (name, kernel) in kernels {
                    for first in 0..<rows {
                        for count in 1...5 where first + count <= rows {
                            var output = [Float](repeating: .nan, count: batch * rows)
                            output.withUnsafeMutableBufferPointer { kernel(Int64(first), Int64(first + count), $0.baseAddress!) }
                            var good = true
                            for b in 0..<batch {
                                for m in 0..<rows {
                                    let got = output[b * rows + m]
                                    good = good && ((first..<(first + count)).contains(m)
                                        ? got.bitPattern == expected[b * rows + m].bitPattern : got.isNaN)
                                }
                            }
                            #expect(good, "\(rows)x\(columns) \(name) batch \(batch) rows \(first)..<\(first + count)")
                        }
                    }
                }
            }
        }
    }
}
