import Kernels
import TestSupport
import Testing

/// On inputs chosen so every scale is a power of two and every partial sum is exactly
/// representable, the arithmetic is integer in disguise: then every path, thread count and batch
/// must give the reference's result bit for bit (no rounding-order excuse left).
@Suite("Exact arithmetic: fast paths equal the reference bit for bit")
struct ExactArithmeticTests {
    /// Per format: weights whose quantization is exact (codes times 2^-2, block scales 0.25).
    static func exactWeights(_ id: WeightFormatID, count: Int, generator: inout SplitMix64) -> [Float] {
        (0..<count).map { i -> Float in
            let position = i % 32
            let r = Int(generator.next() % 41) - 20
            switch id {
            case .q8_0:
                // One ±127 per block makes d = 31.75/127 = 0.25 exactly; the rest are small codes.
                return position == 0 ? (i % 64 == 0 ? 31.75 : -31.75) : Float(r) * 0.25
            case .q4_0:
                // The first element, -2, has the largest magnitude: d = -2/-8 = 0.25, codes 1...15.
                return position == 0 ? -2 : Float(Int(generator.next() % 15) - 7) * 0.25
            case .q4_1:
                // min -2 and max 1.75 in every block: d = 3.75/15 = 0.25, m = -2.
                if position == 0 { return -2 }
                if position == 1 { return 1.75 }
                return -2 + Float(generator.next() % 16) * 0.25
            default:
                return Float(r % 9) * 0.25
            }
        }
    }

    /// Activations: a 127 in every block (Q8 scale 127/127 = 1... times 2^-3) and small codes.
    static func exactActivations(count: Int, generator: inout SplitMix64) -> [Float] {
        (0..<count).map { i in i % 32 == 5 ? 127 * 0.125 : Float(Int(generator.next() % 41) - 20) * 0.125 }
    }

    @Test("bit-exact on exactly representable inputs", arguments: [WeightFormatID.f32, .f16, .q8_0, .q4_0, .q4_1])
    func bitExact(id: WeightFormatID) throws {
        let format = WeightFormats.format(id)
        let pools = [WorkerPool(threadCount: 1, pinning: .none), WorkerPool(threadCount: 3, pinning: .none)]
        var generator = SplitMix64(seed: 2024)
        for (rows, columns) in [(5, 288), (19, 2048), (1, 64)] {
            let weights = Self.exactWeights(id, count: rows * columns, generator: &generator)
            let matrix = try TestMatrix(format: format, rows: rows, columns: columns, weights: weights)
            #expect(matrix.dequantized == weights, "\(id.rawValue): the chosen weights must quantize exactly")
            for batch in [1, 5, 67] {  // 67: past the Q GEMM 64-token chunk and the 6-token float tiles
                let x = Self.exactActivations(count: batch * columns, generator: &generator)
                let reference = try matrix.reference(x, batch: batch)
                for path in fastPaths {
                    for pool in pools {
                        let (output, intact) = try matrix.prepared(x, batch: batch, path: path, pool: pool)
                        #expect(intact)
                        #expect(output.map(\.bitPattern) == reference.map(\.bitPattern),
                                "\(id.rawValue) \(path.rawValue) m=\(rows) k=\(columns) batch=\(batch) threads=\(pool.threadCount)")
                    }
                }
            }
        }
    }

    @Test("a NaN activation reaches every output of the float formats", arguments: [WeightFormatID.f32, .f16])
    func nanPropagates(id: WeightFormatID) throws {
        let matrix = try TestMatrix(format: WeightFormats.format(id), rows: 7, columns: 100, seed: 1)
        var x = [Float](repeating: 0.5, count: 100)
        x[63] = .nan
        for path in [KernelPath.scalar] + fastPaths {
            let (output, _) = try matrix.prepared(x, batch: 1, path: path, pool: WorkerPool(threadCount: 2, pinning: .none))
            #expect(output.allSatisfy { $0.isNaN }, "\(id.rawValue) \(path.rawValue)")
        }
    }

    @Test("non-finite weights are refused by the quantizer", arguments: WeightFormatID.allCases.filter { !$0.isTernary })
    func nonFiniteWeightsRefused(id: WeightFormatID) {
        var weights = [Float](repeating: 0.25, count: 4 * 64)
        weights[77] = .infinity
        #expect(throws: KernelError.self) { _ = try TestMatrix(format: WeightFormats.format(id), rows: 4, columns: 64, weights: weights) }
    }
}
