import Foundation
import Kernels
import TestSupport
import Testing

/// Our quantizers write the same bytes as the python `gguf` package (0.19), whose quantizers are
/// written to be bit-exact with llama.cpp's reference ones: that is the bit-compatibility proof.
@Suite("Quantizer bytes match python gguf")
struct GGUFQuantizerCompatibilityTests {
    /// A tensor with the awkward cases: an all-zero block, a constant block, a block whose largest
    /// magnitude is negative, tiny and huge values, then random rows.
    static func awkwardTensor(rows: Int, columns: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        var values = generator.floats(rows * columns, scale: 2)
        for j in 0..<32 { values[j] = 0 }
        for j in 32..<64 { values[j] = 0.3125 }
        values[70] = -7.5
        for j in 96..<128 { values[j] = Float(j - 100) * 1e-6 }
        for j in 128..<160 { values[j] *= 3000 }
        return values
    }

    @Test("quantize matches gguf.quants.quantize byte for byte",
          arguments: [(WeightFormatID.f16, "F16"), (.q8_0, "Q8_0"), (.q4_0, "Q4_0"), (.q4_1, "Q4_1"), (.f32, "F32")])
    func bytesMatchPython(id: WeightFormatID, typeName: String) throws {
        let rows = 12, columns = 256
        let weights = Self.awkwardTensor(rows: rows, columns: columns, seed: 42)
        let matrix = try TestMatrix(format: WeightFormats.format(id), rows: rows, columns: columns, weights: weights)
        let script = """
        import sys, numpy as np
        from gguf import quants
        from gguf.constants import GGMLQuantizationType as T
        x = np.fromfile(sys.argv[1], dtype=np.float32).reshape(\(rows), \(columns))
        q = x.copy() if '\(typeName)' == 'F32' else quants.quantize(x, T.\(typeName))
        np.ascontiguousarray(q).view(np.uint8).tofile(sys.argv[2])
        """
        let expected = [UInt8](try PythonBridge.run(script, floats: weights))
        #expect(expected.count == matrix.blob.count)
        let firstDifference = zip(expected, matrix.blob).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "\(id.rawValue): first differing byte at \(firstDifference ?? -1)")
    }

    @Test("the Q8_0 weight quantizer matches python on roundf's halfway cases")
    func halfwayCasesMatchPython() throws {
        let columns = 512
        var generator = SplitMix64(seed: 5)
        var x = generator.floats(columns, scale: 3)
        // With amax = 127 the codes are x itself: k + 0.5 must round away from zero.
        x[0] = 127; x[1] = 0.5; x[2] = -0.5; x[3] = 2.5; x[4] = -3.5; x[5] = 1.5
        for j in 32..<64 { x[j] = 0 }
        let ours = try TestMatrix(format: Q8_0Format(), rows: 1, columns: columns, weights: x).blob
        let script = """
        import sys, numpy as np
        from gguf import quants
        from gguf.constants import GGMLQuantizationType as T
        x = np.fromfile(sys.argv[1], dtype=np.float32).reshape(1, -1)
        quants.quantize(x, T.Q8_0).view(np.uint8).tofile(sys.argv[2])
        """
        let python = [UInt8](try PythonBridge.run(script, floats: x))
        #expect(python == ours)
        #expect(ours[2 + 1] == 1 && ours[2 + 2] == 0xff && ours[2 + 3] == 3 && ours[2 + 4] == 0xfc)
    }
}
