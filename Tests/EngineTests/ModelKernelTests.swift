import CEngineKernels
import Foundation
import Kernels
import Testing

/// The engine's C loops (attention, RoPE, gated SiLU, F16 conversion): the AVX2 forms equal their
/// portable twins bit for bit, and both agree with plain double-precision math within stated bounds.
@Suite struct ModelKernelTests {
    static var hasAVX2: Bool { CPUFeatures.current.avx2 && CPUFeatures.current.fma && CPUFeatures.current.f16c }

    struct Random {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1   // [-1, 1]
        }
    }

    @Test func halfConversionsAreRoundToNearestEven() {
        var random = Random(state: 1)
        var values = (0..<1003).map { _ in random.next() * 70000 }
        values += [0, -0, 65504, 65519.99, 65520, 1e-8, -6e-8, 5.9604645e-08, .infinity, -.infinity]
        var portable = [UInt16](repeating: 0, count: values.count), fast = portable
        be_f32_to_f16(values, &portable, values.count, 0)
        for (value, bits) in zip(values, portable) { #expect(bits == Half.fromFloat(value), "\(value)") }
        var back = [Float](repeating: 0, count: values.count)
        be_f16_to_f32(portable, &back, values.count, 0)
        for (bits, value) in zip(portable, back) { #expect(value.bitPattern == Half.toFloat(bits).bitPattern) }
        if Self.hasAVX2 {
            be_f32_to_f16(values, &fast, values.count, 1)
            #expect(fast == portable)
            var fastBack = [Float](repeating: 0, count: values.count)
            be_f16_to_f32(portable, &fastBack, values.count, 1)
            #expect(fastBack.map(\.bitPattern) == back.map(\.bitPattern))
        }
    }

    @Test(arguments: [(length: 1, hd: 64), (length: 35, hd: 64), (length: 100, hd: 128), (length: 7, hd: 40),
                      (length: 517, hd: 96), (length: 8, hd: 32)])
    func attentionMatchesPlainMath(_ shape: (length: Int, hd: Int)) {
        let (length, hd) = shape
        let padded = (length + 31) / 32 * 32 + 32
        var random = Random(state: UInt64(length * 1000 + hd))
        let keyFloats = (0..<length * hd).map { _ in random.next() * 4 }
        let valueFloats = (0..<length * hd).map { _ in random.next() * 4 }
        let query = (0..<hd).map { _ in random.next() * 4 }
        var keys = [UInt16](repeating: 0, count: length * hd)
        be_f32_to_f16(keyFloats, &keys, keys.count, 0)
        // Tiles of 32 positions: (padded/32, hd, 32).
        var valuesT = [UInt16](repeating: 0, count: hd * padded)
        func index(_ t: Int, _ d: Int) -> Int { (t / 32 * hd + d) * 32 + t % 32 }
        for t in 0..<length { for d in 0..<hd { valuesT[index(t, d)] = Half.fromFloat(valueFloats[t * hd + d]) } }
        let scale = 1 / Float(hd).squareRoot()

        func attend(_ avx2: Int32) -> [Float] {
            var scores = [Float](repeating: 0, count: padded), weights = [UInt16](repeating: 0, count: padded)
            var q16 = [UInt16](repeating: 0, count: hd), out = [Float](repeating: 0, count: hd)
            be_attend_head(keys, valuesT, query, length, hd, scale, &scores, &weights, &q16, &out, avx2)
            return out
        }
        let portable = attend(0)
        if Self.hasAVX2 { #expect(attend(1).map(\.bitPattern) == portable.map(\.bitPattern)) }

        // Plain double math on the same F16 values (q rounded as ggml does): the F16 rounding of
        // the weights bounds the difference by about 2^-11 of Σ|v|.
        var s = [Double](repeating: 0, count: length)
        for t in 0..<length {
            var dot = 0.0
            for d in 0..<hd { dot += Double(Half.toFloat(keys[t * hd + d])) * Double(Half.round(query[d])) }
            s[t] = dot * Double(scale)
        }
        let m = s.max()!
        let e = s.map { Foundation.exp($0 - m) }, total = e.reduce(0, +)
        for d in 0..<hd {
            var expected = 0.0, magnitude = 0.0
            for t in 0..<length {
                let v = Double(Half.toFloat(valuesT[index(t, d)]))
                expected += e[t] / total * v
                magnitude += abs(v)
            }
            #expect(abs(Double(portable[d]) - expected) <= 1e-3 * magnitude / Double(length) + 1e-5,
                    "d=\(d): \(portable[d]) vs \(expected)")
        }
    }

    @Test(arguments: [8, 1536, 1541])
    func siluMatchesPlainMath(_ width: Int) {
        var random = Random(state: UInt64(width))
        let gate = (0..<2 * width).map { _ in random.next() * 12 }
        let up = (0..<2 * width).map { _ in random.next() * 3 }
        var portable = gate
        be_silu_mul(&portable, up, 2, width, 0)
        if Self.hasAVX2 {
            var fast = gate
            be_silu_mul(&fast, up, 2, width, 1)
            #expect(fast.map(\.bitPattern) == portable.map(\.bitPattern))
        }
        for i in 0..<gate.count {
            let g = Double(gate[i]), expected = g / (1 + Foundation.exp(-g)) * Double(up[i])
            // ggml's exp is within 1.5 ulp; silu and the product add a rounding each.
            #expect(abs(Double(portable[i]) - expected) <= 4e-7 * max(1, abs(expected)), "\(i)")
        }
    }

    @Test(arguments: [true, false])
    func ropeRotatesThePairsOfItsStyle(_ neox: Bool) {
        let hd = 64, rot = 64, heads = 3
        var random = Random(state: neox ? 3 : 4)
        let x = (0..<heads * hd).map { _ in random.next() }
        let cs: [Float] = (0..<rot / 2).flatMap { i -> [Float] in
            let angle = 5 * Foundation.pow(10000, -2 * Double(i) / Double(rot))
            return [Float(Foundation.cos(angle)), Float(Foundation.sin(angle))]
        }
        var portable = x
        be_rope(&portable, heads, hd, rot, cs, neox ? 1 : 0, 0)
        if Self.hasAVX2 {
            var fast = x
            be_rope(&fast, heads, hd, rot, cs, neox ? 1 : 0, 1)
            #expect(fast.map(\.bitPattern) == portable.map(\.bitPattern))
        }
        for h in 0..<heads {
            for i in 0..<rot / 2 {
                let a = h * hd + (neox ? i : 2 * i), b = h * hd + (neox ? i + rot / 2 : 2 * i + 1)
                let c = Double(cs[2 * i]), s = Double(cs[2 * i + 1])
                #expect(abs(Double(portable[a]) - (Double(x[a]) * c - Double(x[b]) * s)) <= 2e-7)
                #expect(abs(Double(portable[b]) - (Double(x[a]) * s + Double(x[b]) * c)) <= 2e-7)
            }
        }
    }
}
