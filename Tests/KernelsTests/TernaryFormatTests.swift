import Foundation
import GGUF
import Kernels
import Testing

/// Layout-level behaviour of the ternary formats: refused shapes, quantize/dequantize round trips,
/// packing by row slices, absmean ternarisation and the activation encoders' rounding rules.
@Suite struct TernaryFormatTests {
    static let ids: [WeightFormatID] = [.i2_s, .tl1, .tl2, .tq1_0, .tq2_0]

    static func format(_ id: WeightFormatID) -> any TernaryWeightFormat {
        WeightFormats.format(id) as! any TernaryWeightFormat
    }

    /// A small valid shape and its parameters per format.
    static func shape(_ id: WeightFormatID) -> (rows: Int, columns: Int, parameters: FormatParameters) {
        switch id {
        case .i2_s: return (6, 384, .none)
        case .tq1_0, .tq2_0: return (6, 512, .none)
        case .tl2: return (64, 3200, FormatParameters(tile: TileConfiguration(rowsPerTile: 32, kBlock: 96, rowsPerGroup: 32)))
        default: return (64, 256, FormatParameters(tile: TileConfiguration(rowsPerTile: 32, kBlock: 64, rowsPerGroup: 32)))
        }
    }

    @Test("shapes a format cannot hold are refused, naming the rule")
    func refusedShapes() throws {
        func reason(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let error as KernelError { return error.description } catch { return "\(error)" }
        }
        let i2s = reason { try I2SFormat().checkShape(rows: 4, columns: 200, parameters: .none) }
        #expect(i2s?.contains("K % 32 == 0") == true, "\(i2s ?? "accepted")")
        for tq in [TQ1_0Format() as any WeightFormat, TQ2_0Format()] {
            let text = reason { try tq.checkShape(rows: 4, columns: 300, parameters: .none) }
            #expect(text?.contains("multiple of 256") == true, "\(text ?? "accepted")")
        }
        // TL2 without a tiling for the shape: the dedicated error, pointing at --tl2-config.
        #expect(throws: KernelError.missingTileConfiguration(format: .tl2, rows: 64, columns: 512)) {
            try TL2Format().checkShape(rows: 64, columns: 512, parameters: .none)
        }
        #expect(throws: KernelError.missingTileConfiguration(format: .tl1, rows: 64, columns: 512)) {
            try TL1Format().checkShape(rows: 64, columns: 512, parameters: .none)
        }
        let message = KernelError.missingTileConfiguration(format: .tl2, rows: 64, columns: 512).description
        #expect(message.contains("--tl2-config"))
        // Bad tilings.
        let tl2 = TL2Format()
        func tile(_ bigM: Int, _ bk: Int, _ bm: Int = 32) -> FormatParameters {
            FormatParameters(tile: TileConfiguration(rowsPerTile: bigM, kBlock: bk, rowsPerGroup: bm))
        }
        let cases: [(Int, Int, FormatParameters, String)] = [
            (96, 768, tile(64, 96), "multiple of BM"),
            (64, 768, tile(48, 96), "multiple of 32"),
            (64, 768, tile(64, 100), "multiple of 24"),
            (64, 768, tile(64, 96, 64), "must be 32"),
            (64, 3200, tile(64, 120), "multiple of 32"),   // tail 3200 mod 120 = 80
        ]
        for (m, k, parameters, expected) in cases {
            let text = reason { try tl2.checkShape(rows: m, columns: k, parameters: parameters) }
            #expect(text?.contains(expected) == true, "\(m)x\(k): \(text ?? "accepted")")
        }
        let tail = reason { try tl2.checkShape(rows: 32, columns: 1312, parameters: tile(32, 528)) }  // K2 = 1312 mod 528 = 256
        #expect(tail == nil, "a 256-column tail is allowed: \(tail ?? "")")
        let tooLong = reason { try tl2.checkShape(rows: 32, columns: 1344, parameters: tile(32, 528)) }  // K2 = 288
        #expect(tooLong?.contains("exceeds 256") == true, "\(tooLong ?? "accepted")")
        let small = reason { try tl2.checkShape(rows: 32, columns: 224, parameters: tile(32, 96)) }
        #expect(small?.contains("below 256") == true, "\(small ?? "accepted")")
        let tl1 = reason { try TL1Format().checkShape(rows: 64, columns: 96, parameters: tile(64, 64, 32)) }
        #expect(tl1?.contains("multiple of BK") == true, "\(tl1 ?? "accepted")")
        // Refused shapes never reach prepare.
        #expect(throws: KernelError.self) {
            try [UInt8](repeating: 0, count: 4096).withUnsafeBytes {
                _ = try I2SFormat().prepare($0, rows: 2, columns: 200, parameters: .none, path: .avx2)
            }
        }
    }

    @Test("the blob sizes are bitnet.cpp's and llama.cpp's")
    func blobSizes() {
        #expect(I2SFormat().byteCount(rows: 3200, columns: 8640, parameters: .none) == 6_912_032)
        #expect(TL2Format().byteCount(rows: 768, columns: 768, parameters: .none) == 131_104)
        #expect(TL2Format().byteCount(rows: 768, columns: 3072, parameters: .none) == 499_744)
        #expect(TL2Format().byteCount(rows: 3072, columns: 768, parameters: .none) == 524_320)
        #expect(TQ2_0Format().byteCount(rows: 2, columns: 512, parameters: .none) == 4 * 66)
        #expect(TQ1_0Format().byteCount(rows: 2, columns: 512, parameters: .none) == 4 * 54)
        #expect(TL1Format().byteCount(rows: 64, columns: 256, parameters: .none) == 64 * 256 / 4 + 32)
    }

    @Test("pack then unpack returns the trits and scale; dequantize is trit × scale", arguments: ids)
    func packRoundTrip(id: WeightFormatID) throws {
        let format = Self.format(id)
        let (rows, columns, parameters) = Self.shape(id)
        var random = TernaryRandom(seed: 3)
        let trits = random.trits(rows * columns)
        // An fp16-representable scale, so TQ's fp16 block scales hold it exactly.
        let alpha = Float(Float16(0.7978516))
        let blob = try packedBlob(format, trits: trits, rows: rows, columns: columns, scale: alpha, parameters: parameters)
        let (back, scale) = try blob.withUnsafeBytes { try format.unpackTernary($0, rows: rows, columns: columns, parameters: parameters) }
        let sameTrits = back == trits
        #expect(sameTrits)
        #expect(scale == alpha)
        var values = [Float](repeating: .nan, count: rows * columns)
        try blob.withUnsafeBytes { b in
            try values.withUnsafeMutableBufferPointer { try format.dequantize(b, rows: rows, columns: columns, parameters: parameters, into: $0) }
        }
        let same = bitwiseEqual(values, trits.map { Float($0) * alpha })
        #expect(same, "\(id.rawValue): dequantized values differ")
    }

    @Test("packing row slices (in any order) writes the same bytes as packing the whole tensor", arguments: ids)
    func packRowSlices(id: WeightFormatID) throws {
        let format = Self.format(id)
        let (rows, columns, parameters) = Self.shape(id)
        var random = TernaryRandom(seed: 4)
        let trits = random.trits(rows * columns)
        let whole = try packedBlob(format, trits: trits, rows: rows, columns: columns, scale: 1.25, parameters: parameters)
        let step = format.ternaryRowGranularity(rows: rows, columns: columns, parameters: parameters)
        #expect(step >= 1 && rows % step == 0)
        var sliced = [UInt8](repeating: 0x5A, count: whole.count)
        for start in stride(from: 0, to: rows, by: step).reversed() {
            let range = start..<min(rows, start + step)
            try trits[(range.lowerBound * columns)..<(range.upperBound * columns)].withUnsafeBufferPointer { t in
                try sliced.withUnsafeMutableBytes {
                    try format.packTernary(t, rowRange: range, rows: rows, columns: columns, scale: 1.25, parameters: parameters, into: $0)
                }
            }
        }
        let same = sliced == whole
        #expect(same, "\(id.rawValue): sliced packing differs")
        // A misaligned slice of a tiled format is refused.
        if step > 1 {
            #expect(throws: KernelError.self) {
                try trits.withUnsafeBufferPointer { t in
                    try sliced.withUnsafeMutableBytes {
                        try format.packTernary(t, rowRange: 1..<step, rows: rows, columns: columns, scale: 1, parameters: parameters, into: $0)
                    }
                }
            }
        }
        // Values outside {-1, 0, 1} and bad scales are refused.
        var bad = trits
        bad[5] = 2
        #expect(throws: KernelError.self) {
            _ = try packedBlob(format, trits: bad, rows: rows, columns: columns, scale: 1, parameters: parameters)
        }
        #expect(throws: KernelError.self) {
            _ = try packedBlob(format, trits: trits, rows: rows, columns: columns, scale: -.infinity, parameters: parameters)
        }
    }

    @Test("quantize then dequantize: ternary-valued input comes back exactly; other input equals its absmean ternarisation",
          arguments: ids)
    func quantizeRoundTrip(id: WeightFormatID) throws {
        let format = Self.format(id)
        let (rows, columns, parameters) = Self.shape(id)
        var random = TernaryRandom(seed: 11)
        // Ternary-valued input (as the converters write it).
        let alpha = Float(Float16(0.7978516))
        let ternary = random.trits(rows * columns).map { Float($0) * alpha }
        // General input: ternarised with absmean first.
        let general = random.activations(rows * columns).map { $0 * 0.02 }
        var expectedTrits = [Int8](repeating: 0, count: general.count)
        let absmeanScale = general.withUnsafeBufferPointer { g in
            expectedTrits.withUnsafeMutableBufferPointer { Ternarize.absmean(g, into: $0) }
        }
        let isTQ = id == .tq1_0 || id == .tq2_0
        for (input, expected) in [(ternary, ternary),
                                  (general, expectedTrits.map { Float($0) * (isTQ ? Float(Float16(absmeanScale)) : absmeanScale) })] {
            var blob = [UInt8](repeating: 0, count: format.byteCount(rows: rows, columns: columns, parameters: parameters))
            try input.withUnsafeBufferPointer { w in
                try blob.withUnsafeMutableBytes { try format.quantize(w, rows: rows, columns: columns, parameters: parameters, into: $0) }
            }
            var back = [Float](repeating: .nan, count: input.count)
            try blob.withUnsafeBytes { b in
                try back.withUnsafeMutableBufferPointer { try format.dequantize(b, rows: rows, columns: columns, parameters: parameters, into: $0) }
            }
            // TQ stores fp16(α); the ternary-valued α above is fp16-representable.
            let same = bitwiseEqual(back.map { $0 + 0 }, expected.map { $0 + 0 })
            #expect(same, "\(id.rawValue): quantize/dequantize round trip differs")
        }
    }

    @Test("absmean: α = max(mean|W|, 1e-5), round half to even, clip to ±1")
    func absmean() {
        let weights: [Float] = [0.5, -1.5, 0.25, 2.0, -0.75, 0.0, 1.0, -0.5]  // mean |w| = 0.8125
        var trits = [Int8](repeating: 9, count: weights.count)
        let alpha = weights.withUnsafeBufferPointer { w in trits.withUnsafeMutableBufferPointer { Ternarize.absmean(w, into: $0) } }
        #expect(alpha == 0.8125)
        // w/α: 0.615, -1.846, 0.308, 2.46, -0.923, 0, 1.23, -0.615
        #expect(trits == [1, -1, 0, 1, -1, 0, 1, -1])
        let ties: [Float] = [0.5, 1.5, -0.5, -2.5]  // mean 1.25 → w/α = 0.4, 1.2, -0.4, -2
        let tieAlpha = ties.withUnsafeBufferPointer { w in trits.withUnsafeMutableBufferPointer { Ternarize.absmean(w, into: $0) } }
        #expect(tieAlpha == 1.25)
        #expect(Array(trits.prefix(4)) == [0, 1, 0, -1])
        let zeros = [Float](repeating: 0, count: 4)
        let floor = zeros.withUnsafeBufferPointer { w in trits.withUnsafeMutableBufferPointer { Ternarize.absmean(w, into: $0) } }
        #expect(floor == 1e-5)
        #expect(zeros.withUnsafeBufferPointer { Ternarize.isTernaryValued($0, groupSize: 4) })
        #expect([Float(0.3), -0.3, 0, 0.3].withUnsafeBufferPointer { Ternarize.isTernaryValued($0, groupSize: 4) })
        #expect(![Float(0.3), -0.2, 0, 0.3].withUnsafeBufferPointer { Ternarize.isTernaryValued($0, groupSize: 4) })
        // Per-block magnitudes may differ between blocks (TQ blocks), not within one.
        #expect([Float(0.3), 0, 0.2, -0.2].withUnsafeBufferPointer { Ternarize.isTernaryValued($0, groupSize: 2) })
    }

    @Test("activation encoders: bitnet.cpp and llama.cpp rounding and scale rules")
    func activationEncoders() {
        // I2_S: amax 127 gives s = 1 exactly; half-integers round to even; Σq returned.
        let x: [Float] = [127, 2.5, 3.5, -2.5, -0.5, 0.49999997, -127]
        var q = [Int8](repeating: 0, count: x.count)
        let (s, sum) = x.withUnsafeBufferPointer { xs in q.withUnsafeMutableBufferPointer { Int8PerTokenActivations.quantize(xs, into: $0.baseAddress!) } }
        #expect(s == 1)
        #expect(q == [127, 2, 4, -2, 0, 0, -127])
        #expect(sum == q.reduce(0) { $0 + Int32($1) })
        // The 1e-5 floor: tiny rows do not blow up.
        let tiny: [Float] = [1e-7, -2e-7]
        let (tinyScale, _) = tiny.withUnsafeBufferPointer { xs in q.withUnsafeMutableBufferPointer { Int8PerTokenActivations.quantize(xs, into: $0.baseAddress!) } }
        #expect(tinyScale == Float(127.0 / 0.00001))
        // TL: f32 division, no floor; a zero row yields zeros and an infinite scale.
        let zero = [Float](repeating: 0, count: 8)
        let lutScale = zero.withUnsafeBufferPointer { xs in q.withUnsafeMutableBufferPointer { LookupTableActivations.quantize(xs, into: $0.baseAddress!) } }
        #expect(lutScale == .infinity)
        #expect(q.prefix(8).allSatisfy { $0 == 0 })
        let y: [Float] = [3, -1.5, 0.75]
        let ys = y.withUnsafeBufferPointer { xs in q.withUnsafeMutableBufferPointer { LookupTableActivations.quantize(xs, into: $0.baseAddress!) } }
        #expect(ys == Float(127) / Float(3))
        // Q8_K: the scale follows the signed element of largest magnitude (first one on ties).
        var block = [Float](repeating: 0.5, count: 256)
        block[7] = -4
        block[9] = 4
        var qs = [Int8](repeating: 0, count: 256)
        var d: Float = 0, blockSum: Int32 = 0
        block.withUnsafeBufferPointer { xs in
            qs.withUnsafeMutableBufferPointer { Q8KActivations.quantize(xs, into: $0.baseAddress!, scales: &d, blockSums: &blockSum) }
        }
        #expect(d == 1 / (-127 / Float(-4)))
        #expect(qs[7] == -127 && qs[9] == 127)
        #expect(qs[0] == 16)  // 0.5 * 31.75 = 15.875
        #expect(blockSum == qs.reduce(0) { $0 + Int32($1) })
    }
}
