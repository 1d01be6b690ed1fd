import CKernels
import Kernels
import TestSupport
import Testing

/// The C activation encoders (AVX2 and portable) write exactly the bytes of the Swift reference
/// quantizers (llama.cpp's quantize_row_q8_0_ref / q8_1_ref) and of Half rounding.
@Suite("Activation encoders")
struct ActivationEncoderTests {
    static func inputs() -> [[Float]] {
        var generator = SplitMix64(seed: 77)
        var halfway = generator.floats(256, scale: 1)
        halfway[0] = 127  // amax 127: codes equal the values, so k + 0.5 hits roundf's tie rule
        for j in 1..<32 { halfway[j] = Float(j % 9) - 4.5 }
        let zeros = [Float](repeating: 0, count: 64)
        let tiny = (0..<64).map { Float($0 - 32) * 1e-30 }
        let huge = (0..<64).map { Float($0 - 32) * 1e30 }
        return [generator.floats(4096, scale: 5), halfway, zeros, tiny, huge]
    }

    @Test("Q8_0 encoders agree with the reference bit for bit")
    func q8_0() {
        for x in Self.inputs() {
            let bytes = x.count / 32 * 34
            var reference = [UInt8](repeating: 0, count: bytes), portable = reference, avx2 = reference
            x.withUnsafeBufferPointer { p in
                reference.withUnsafeMutableBytes { Q8BlockQuantizer.quantizeQ8_0(p.baseAddress!, count: x.count, into: $0.baseAddress!) }
                portable.withUnsafeMutableBytes { bb_quantize_q8_0_portable(p.baseAddress!, x.count, $0.baseAddress!) }
                avx2.withUnsafeMutableBytes { bb_quantize_q8_0_avx2(p.baseAddress!, x.count, $0.baseAddress!) }
            }
            #expect(portable == reference)
            if CPUFeatures.current.supportsAVX2Kernels { #expect(avx2 == reference) }
        }
    }

    @Test("Q8_1 encoders agree with the reference bit for bit, and s = fp16(Σqs · d)")
    func q8_1() {
        for x in Self.inputs() {
            let bytes = x.count / 32 * 36
            var reference = [UInt8](repeating: 0, count: bytes), portable = reference, avx2 = reference
            x.withUnsafeBufferPointer { p in
                reference.withUnsafeMutableBytes { Q8BlockQuantizer.quantizeQ8_1(p.baseAddress!, count: x.count, into: $0.baseAddress!) }
                portable.withUnsafeMutableBytes { bb_quantize_q8_1_portable(p.baseAddress!, x.count, $0.baseAddress!) }
                avx2.withUnsafeMutableBytes { bb_quantize_q8_1_avx2(p.baseAddress!, x.count, $0.baseAddress!) }
            }
            #expect(portable == reference)
            if CPUFeatures.current.supportsAVX2Kernels { #expect(avx2 == reference) }
            for block in 0..<x.count / 32 {
                let b = block * 36
                let d = Half.toFloat(UInt16(reference[b]) | UInt16(reference[b + 1]) << 8)
                let s = UInt16(reference[b + 2]) | UInt16(reference[b + 3]) << 8
                let sum = (0..<32).reduce(0) { $0 + Int(Int8(bitPattern: reference[b + 4 + $1])) }
                // d is stored rounded; s was computed from the unrounded d, so allow one half-ulp of d.
                let expected = Float(sum) * d
                // Activations beyond the half range (the 1e30 row) overflow d to infinity, as in llama.cpp.
                guard d.isFinite else { continue }
                #expect(abs(Half.toFloat(s) - expected) <= abs(expected) * 2e-3 + 1e-30)
            }
        }
    }

    @Test("half rounding encoders agree with Half.round")
    func halfRounding() {
        var generator = SplitMix64(seed: 3)
        var x = generator.floats(1003, scale: 70000)
        x += [0x1p-25, 0x1.8p-25, 65519, 65520, -1e-8, 1 + 0x1p-11]
        let reference = x.map(Half.round)
        var portable = [Float](repeating: 0, count: x.count), avx2 = portable
        bb_round_to_half_portable(x, x.count, &portable)
        bb_round_to_half_avx2(x, x.count, &avx2)
        #expect(portable.map(\.bitPattern) == reference.map(\.bitPattern))
        if CPUFeatures.current.supportsAVX2Kernels { #expect(avx2.map(\.bitPattern) == reference.map(\.bitPattern)) }
    }
}
