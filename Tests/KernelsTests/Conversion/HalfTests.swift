import Foundation
import Kernels
import TestSupport
import Testing

@Suite("Half conversion")
struct HalfTests {
    @Test("every half converts to the float numpy gives, and back to the same bits")
    func allHalvesRoundTrip() throws {
        let script = """
        import numpy as np, sys
        h = np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16)
        h.astype(np.float32).view(np.uint32).tofile(sys.argv[2])
        """
        let output = try PythonBridge.run(script, input: Data())
        let floats = output.withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) }
        try #require(floats.count == 65536)
        for bits in 0..<65536 {
            let half = UInt16(bits)
            let expected = floats[bits]
            let f = Half.toFloat(half)
            if (bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0 {
                #expect(f.isNaN)
                #expect(Half.fromFloat(f) & 0x7e00 == 0x7e00)
            } else {
                #expect(f.bitPattern == expected, "half 0x\(String(bits, radix: 16))")
                #expect(Half.fromFloat(f) == half, "half 0x\(String(bits, radix: 16)) round trip")
            }
        }
    }

    @Test("float to half rounds to nearest even like numpy (F16C), including subnormals and overflow")
    func roundingMatchesNumpy() throws {
        var generator = SplitMix64(seed: 7)
        var values: [Float] = [0, -0, 65504, 65519.99, 65520, 65536, 1e10, -1e10, .infinity, -.infinity,
                               0x1p-24, 0x1p-25, 0x1.8p-25, 0x1p-26, 0x1.002p-14, 5.9604645e-08, 6.1035156e-05,
                               1 + 0x1p-11, 1 + 0x1p-11 + 0x1p-23, 1 + 3 * 0x1p-11]
        for _ in 0..<20_000 {
            let bits = UInt32(truncatingIfNeeded: generator.next())
            let f = Float(bitPattern: bits)
            if !f.isNaN { values.append(f) }
            // Also values near the half range, where rounding matters.
            values.append(Float(bitPattern: 0x3000_0000 + bits % 0x1800_0000) * (bits & 1 == 0 ? 1 : -1))
        }
        let script = """
        import numpy as np, sys
        x = np.fromfile(sys.argv[1], dtype=np.float32)
        x.astype(np.float16).view(np.uint16).tofile(sys.argv[2])
        """
        let output = try PythonBridge.run(script, floats: values)
        let expected = output.withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }
        #expect(expected.count == values.count)
        var mismatches = 0
        for (i, value) in values.enumerated() {
            if i < expected.count && Half.fromFloat(value) != expected[i] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
