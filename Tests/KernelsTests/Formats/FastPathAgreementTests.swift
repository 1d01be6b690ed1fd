import Kernels
import TestSupport
import Testing

/// Every registered format's fast paths against its own scalar reference. The registry is
/// iterated, so formats registered later (the ternary ones) are covered without edits here.
///
/// Bound: |fast − reference| ≤ 1e-5 · Σ_k |w_k|·|x_k| (+1e-30 for all-zero rows). Both sides
/// compute the same exact products (integer block dots, or float products of the same inputs);
/// they differ only in the order float partial sums are added. With at most ~150 additions in
/// any chain for K ≤ 2050 that is below 150 · 2^-24 ≈ 9e-6 of the magnitude, worst case.
@Suite("Fast paths agree with the scalar reference")
struct FastPathAgreementTests {
    static let relativeTolerance: Float = 1e-5

    /// Candidate (rows, columns) shapes; each format keeps those its `checkShape` accepts.
    /// Row counts include 1 and counts not divisible by 3; lengths include odd ones with tails.
    /// A tiled format that takes none of them (TL1/TL2 only know bitnet.cpp's preset shapes) is
    /// tested on the smallest preset shape it accepts.
    static func shapes(for format: any WeightFormat) -> [(Int, Int)] {
        let block = format.blockSize
        var lengths = [block, 3 * block, 8 * block, 33 * block].filter { $0 <= 2048 }
        if block == 1 { lengths += [7, 67, 1000, 2050] }  // 2050 spans two GEMM k-slices plus a tail
        let rowCounts = [1, 5, 37]
        let small = (rowCounts.flatMap { r in lengths.map { (r, $0) } } + [(64, 512)]).filter { fits(format, $0) }
        if !small.isEmpty { return small }
        let presets = [(768, 768), (1536, 1536), (1024, 4096)]
        return presets.first { fits(format, $0) }.map { [$0] } ?? []
    }

    static func fits(_ format: any WeightFormat, _ shape: (Int, Int)) -> Bool {
        (try? format.checkShape(rows: shape.0, columns: shape.1, parameters: .none)) != nil
    }

    @Test("GEMV and GEMM match the reference on random shapes, batches 1/3/8, threads 1/3",
          arguments: WeightFormats.all.map(\.id))
    func fastPathsMatchReference(id: WeightFormatID) throws {
        let format = WeightFormats.format(id)
        let shapes = Self.shapes(for: format)
        try #require(!shapes.isEmpty, "no test shape fits \(id.rawValue)")
        let pools = [WorkerPool(threadCount: 1, pinning: .none), WorkerPool(threadCount: 3, pinning: .none)]
        var seed: UInt64 = 100
        for (rows, columns) in shapes {
            seed += 1
            let matrix = try TestMatrix(format: format, rows: rows, columns: columns, seed: seed)
            for batch in [1, 3, 8] {
                var generator = SplitMix64(seed: seed &* 31 &+ UInt64(batch))
                let x = generator.floats(batch * columns)
                let reference = try matrix.reference(x, batch: batch)
                let magnitude = matrix.magnitude(x, batch: batch)
                #expect(reference.allSatisfy { $0.isFinite }, "reference \(id.rawValue) m=\(rows) k=\(columns) batch=\(batch)")
                for path in [KernelPath.scalar] + fastPaths {
                    for pool in pools {
                        let label = "\(id.rawValue) \(path.rawValue) m=\(rows) k=\(columns) batch=\(batch) threads=\(pool.threadCount)"
                        let (output, guardsIntact) = try matrix.prepared(x, batch: batch, path: path, pool: pool)
                        #expect(guardsIntact, "output overrun: \(label)")
                        #expect(output.allSatisfy { $0.isFinite }, "non-finite output: \(label)")
                        let worst = zip(zip(output, reference), magnitude).map { pair, scale in
                            abs(pair.0 - pair.1) / max(scale, 1e-30)
                        }.max() ?? 0
                        #expect(worst <= Self.relativeTolerance, "relative error \(worst): \(label)")
                    }
                }
            }
        }
    }

    @Test("a batch of 67 tokens (past the kernels' token tiles and chunks) matches the reference",
          arguments: WeightFormats.all.map(\.id))
    func largeBatchMatchesReference(id: WeightFormatID) throws {
        let format = WeightFormats.format(id)
        let shapes = Self.shapes(for: format)
        let (rows, columns) = try #require(shapes.first { $0.1 >= 256 && $0.0 > 1 } ?? shapes.last)
        let matrix = try TestMatrix(format: format, rows: rows, columns: columns, seed: 67)
        var generator = SplitMix64(seed: 68)
        let x = generator.floats(67 * columns)
        let reference = try matrix.reference(x, batch: 67)
        let magnitude = matrix.magnitude(x, batch: 67)
        for path in fastPaths {
            let (output, intact) = try matrix.prepared(x, batch: 67, path: path, pool: WorkerPool(threadCount: 2, pinning: .none))
            #expect(intact)
            let worst = zip(zip(output, reference), magnitude).map { abs($0.0 - $0.1) / max($1, 1e-30) }.max() ?? 0
            #expect(worst <= Self.relativeTolerance, "\(id.rawValue) \(path.rawValue) m=\(rows) k=\(columns): \(worst)")
        }
    }

    @Test("the scalar path split across workers equals the single-threaded reference exactly",
          arguments: WeightFormats.all.map(\.id))
    func scalarPathIsTheReference(id: WeightFormatID) throws {
        let format = WeightFormats.format(id)
        guard let (rows, columns) = Self.shapes(for: format).first(where: { $0.0 > 1 }) else { return }
        let matrix = try TestMatrix(format: format, rows: rows, columns: columns, seed: 9)
        var generator = SplitMix64(seed: 10)
        let x = generator.floats(3 * columns)
        let reference = try matrix.reference(x, batch: 3)
        let (output, _) = try matrix.prepared(x, batch: 3, path: .scalar, pool: WorkerPool(threadCount: 3, pinning: .none))
        #expect(output.map(\.bitPattern) == reference.map(\.bitPattern))
    }

    @Test("shapes a format cannot hold are refused with unsupportedShape (or missingTileConfiguration)", arguments: WeightFormats.all.map(\.id))
    func unsupportedShapesAreRefused(id: WeightFormatID) throws {
        let format = WeightFormats.format(id)
        var bad = [(0, format.blockSize), (4, 0)]
        if format.blockSize > 1 { bad.append((4, format.blockSize + 1)) }
        for (rows, columns) in bad {
            #expect(throws: KernelError.self) { try format.checkShape(rows: rows, columns: columns, parameters: .none) }
            do {
                try format.checkShape(rows: rows, columns: columns, parameters: .none)
            } catch let error as KernelError {
                // Tiled formats may first say that no tile configuration exists for the shape.
                switch error {
                case .unsupportedShape, .missingTileConfiguration: break
                default: Issue.record("\(id.rawValue) \(rows)x\(columns): \(error)")
                }
            }
            let blob = [UInt8](repeating: 0, count: 4096)
            #expect(throws: KernelError.self) {
                try blob.withUnsafeBytes { _ = try format.prepare($0, rows: rows, columns: columns, parameters: .none, path: .scalar) }
            }
        }
    }

    @Test("a blob shorter than the shape needs is refused", arguments: WeightFormats.all.map(\.id))
    func shortBlobIsRefused(id: WeightFormatID) throws {
        let format = WeightFormats.format(id)
        guard let (rows, columns) = Self.shapes(for: format).first else { return }
        let needed = format.byteCount(rows: rows, columns: columns, parameters: .none)
        let blob = [UInt8](repeating: 0, count: needed - 1)
        #expect(throws: KernelError.self) {
            try blob.withUnsafeBytes { _ = try format.prepare($0, rows: rows, columns: columns, parameters: .none, path: .scalar) }
        }
    }
}
