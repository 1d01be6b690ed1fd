import Foundation
import GGUF
import Kernels
import Testing

/// The files bitnet.cpp and llama.cpp made (shared/fixtures/bitnet-tiny) against our formats: every
/// linear weight decodes to exactly the ternary values and scale of the F32 source, and our
/// quantizer, given the F32 weights, writes exactly the bytes the reference tools wrote.
@Suite struct TernaryFixtureTests {
    static let formats: [(file: String, format: any TernaryWeightFormat)] = [
        ("i2_s", I2SFormat()), ("tl2", TL2Format()), ("tq2_0", TQ2_0Format()), ("tq1_0", TQ1_0Format()),
    ]

    @Test("fixture tensors decode to the F32 source and re-quantize to the same bytes",
          arguments: 0..<4)
    func fixtureRoundTrip(index: Int) throws {
        let (fileName, format) = Self.formats[index]
        let source = try TernaryFixtureFile.f32.get()
        let file = try TernaryFixtureFile.fixture(fileName)
        let names = source.linearWeightNames
        #expect(names.count == 14, "2 layers x 7 projections")
        for name in names {
            let f32 = try #require(source.tensors[name])
            let stored = try #require(file.tensors[name], "\(fileName) has no \(name)")
            #expect(stored.type == format.ggmlType, "\(name) type")
            #expect(stored.shape == f32.shape)
            let columns = f32.shape[0], rows = f32.shape[1]
            let weights: [Float] = f32.bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            #expect(weights.count == rows * columns)

            // The source is ternary-valued: {-α, 0, +α}.
            var sourceTrits = [Int8](repeating: 0, count: weights.count)
            let alpha = weights.withUnsafeBufferPointer { w in
                sourceTrits.withUnsafeMutableBufferPointer { Ternarize.signs(w, into: $0) }
            }
            #expect(weights.withUnsafeBufferPointer { Ternarize.isTernaryValued($0, groupSize: $0.count) })
            #expect(alpha > 0.79 && alpha < 0.81, "\(name) alpha \(alpha)")

            // Decode the reference tool's bytes.
            let blob = [UInt8](stored.bytes)
            let (trits, scale) = try blob.withUnsafeBytes {
                try format.unpackTernary($0, rows: rows, columns: columns, parameters: .none)
            }
            let sameTrits = trits == sourceTrits
            #expect(sameTrits, "\(fileName) \(name): trits differ from the F32 source")
            // TQ blocks keep fp16(α) (llama.cpp stores the block absmax as fp16).
            let expectedScale = format.ggmlType == .tq1_0 || format.ggmlType == .tq2_0 ? Float(Float16(alpha)) : alpha
            #expect(scale == expectedScale, "\(fileName) \(name): scale \(scale), expected \(expectedScale)")

            var dequantized = [Float](repeating: .nan, count: weights.count)
            try blob.withUnsafeBytes { b in
                try dequantized.withUnsafeMutableBufferPointer {
                    try format.dequantize(b, rows: rows, columns: columns, parameters: .none, into: $0)
                }
            }
            let expectedValues = sourceTrits.map { Float($0) * expectedScale }
            let matches = bitwiseEqual(dequantized, expectedValues)
            #expect(matches, "\(fileName) \(name): dequantized values differ")
            if format.ggmlType == .i2_s || format.ggmlType == .tl2 {
                let matchesSource = bitwiseEqual(dequantized.map { $0 == 0 ? 0 : $0 }, weights.map { $0 == 0 ? 0 : $0 })
                #expect(matchesSource, "\(fileName) \(name): dequantized values differ from the F32 file")
            }

            // Our quantizer writes the reference tool's exact bytes.
            var ours = [UInt8](repeating: 0xA5, count: format.byteCount(rows: rows, columns: columns, parameters: .none))
            #expect(ours.count == blob.count)
            try weights.withUnsafeBufferPointer { w in
                try ours.withUnsafeMutableBytes {
                    try format.quantize(w, rows: rows, columns: columns, parameters: .none, into: $0)
                }
            }
            // llama-quantize leaves its work buffer's stale bytes (the previous tensor's codes) in the
            // 28 padding bytes after the I2_S scale; those are not a function of the tensor, so they
            // are compared as "ours are zero" rather than byte for byte.
            let meaningful = format.ggmlType == .i2_s ? rows * columns / 4 + 4 : blob.count
            if ours[0..<meaningful] != blob[0..<meaningful] {
                let first = zip(ours, blob).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1
                Issue.record("\(fileName) \(name): our bytes differ from the fixture's, first at byte \(first) of \(blob.count)")
            }
            #expect(ours[meaningful...].allSatisfy { $0 == 0 }, "\(fileName) \(name): padding is not zero")
        }
    }

    @Test("I2_S and TL2 fixture tensors give the same products as the F32-derived ternary matrix")
    func fixtureProductsAgreeAcrossFormats() throws {
        let i2s = try TernaryFixtureFile.fixture("i2_s")
        let tl2 = try TernaryFixtureFile.fixture("tl2")
        let name = "blk.1.ffn_down.weight"
        let a = try #require(i2s.tensors[name]), b = try #require(tl2.tensors[name])
        let columns = a.shape[0], rows = a.shape[1]
        var random = TernaryRandom(seed: 7)
        let x = random.activations(columns)
        var yI2S = [Float](repeating: 0, count: rows), yTL2 = [Float](repeating: 0, count: rows)
        try [UInt8](a.bytes).withUnsafeBytes { blob in
            try x.withUnsafeBufferPointer { xs in
                try yI2S.withUnsafeMutableBufferPointer {
                    try I2SFormat().referenceMultiply(blob, rows: rows, columns: columns, parameters: .none,
                                                      activations: xs, batch: 1, into: $0)
                }
            }
        }
        try [UInt8](b.bytes).withUnsafeBytes { blob in
            try x.withUnsafeBufferPointer { xs in
                try yTL2.withUnsafeMutableBufferPointer {
                    try TL2Format().referenceMultiply(blob, rows: rows, columns: columns, parameters: .none,
                                                      activations: xs, batch: 1, into: $0)
                }
            }
        }
        // Same trits; the activation scales differ at most in the last ulp (double vs f32 division).
        for m in 0..<rows {
            let tolerance = 1e-5 * max(1, abs(yI2S[m]))
            #expect(abs(yI2S[m] - yTL2[m]) <= tolerance, "row \(m): \(yI2S[m]) vs \(yTL2[m])")
        }
    }
}
