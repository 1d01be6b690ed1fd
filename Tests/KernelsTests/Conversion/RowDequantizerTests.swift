import Foundation
import GGUF
import Kernels
import TestSupport
import Testing

/// RowDequantizer against python gguf's dequantizers (bit for bit) and its error cases.
@Suite("RowDequantizer")
struct RowDequantizerTests {
    /// Random bytes for a tensor of `type`, with every fp16/bf16/f32 value finite.
    static func randomBlob(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        let count = type.byteCount(shape: [columns, rows])!
        var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        func finiteHalf() -> UInt16 { UInt16(truncatingIfNeeded: generator.next()) & 0x3bff }  // |x| < 1
        func put(_ v: UInt16, _ at: Int) { bytes[at] = UInt8(v & 0xff); bytes[at + 1] = UInt8(v >> 8) }
        switch type {
        case .f32:
            for i in stride(from: 0, to: count, by: 4) {
                let v = generator.nextSigned().bitPattern
                for j in 0..<4 { bytes[i + j] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(j))) }
            }
        case .f16: for i in stride(from: 0, to: count, by: 2) { put(finiteHalf(), i) }
        case .bf16: for i in stride(from: 0, to: count, by: 2) { put(UInt16(truncatingIfNeeded: generator.next()) & 0xbeff, i) }
        case .q8_0: for b in stride(from: 0, to: count, by: 34) { put(finiteHalf(), b) }
        case .q4_0: for b in stride(from: 0, to: count, by: 18) { put(finiteHalf(), b) }
        case .q4_1: for b in stride(from: 0, to: count, by: 20) { put(finiteHalf(), b); put(finiteHalf(), b + 2) }
        case .q6_K: for b in stride(from: 0, to: count, by: 210) { put(finiteHalf(), b + 208) }
        default: break
        }
        return bytes
    }

    @Test("rows decode exactly as gguf.quants.dequantize",
          arguments: [GGMLType.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q6_K].map(\.rawValue))
    func matchesPython(typeID: UInt32) throws {
        let type = try #require(GGMLType(rawValue: typeID))
        let rows = 6, columns = 512
        let blob = Self.randomBlob(type, rows: rows, columns: columns, seed: UInt64(type.rawValue) + 1)
        let script = """
        import sys, numpy as np
        from gguf import quants
        from gguf.constants import GGMLQuantizationType as T
        raw = np.fromfile(sys.argv[1], dtype=np.uint8)
        t = T(\(type.rawValue))
        if t == T.F32: x = raw.view(np.float32)
        elif t == T.F16: x = raw.view(np.float16).astype(np.float32)
        else: x = quants.dequantize(raw.reshape(\(rows), -1), t)
        np.ascontiguousarray(x, dtype=np.float32).tofile(sys.argv[2])
        """
        let pythonData = try PythonBridge.run(script, input: Data(blob))
        let python = pythonData.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        try #require(python.count == rows * columns)
        var ours = [Float](repeating: .nan, count: 3 * columns)
        try blob.withUnsafeBytes { b in
            try ours.withUnsafeMutableBufferPointer { out in
                try RowDequantizer.dequantizeRows(type: type, blob: b, columns: columns, rows: 2..<5, into: out.baseAddress!)
            }
        }
        #expect(ours.map(\.bitPattern) == python[(2 * columns)..<(5 * columns)].map(\.bitPattern))
    }

    @Test("bad requests are refused with a DequantizationError")
    func refusals() {
        let blob = [UInt8](repeating: 0, count: 34 * 4)
        var out = [Float](repeating: 0, count: 1024)
        func attempt(_ type: GGMLType, columns: Int, rows: Range<Int>) -> DequantizationError? {
            do {
                try blob.withUnsafeBytes { b in
                    try out.withUnsafeMutableBufferPointer {
                        try RowDequantizer.dequantizeRows(type: type, blob: b, columns: columns, rows: rows, into: $0.baseAddress!)
                    }
                }
                return nil
            } catch { return error as? DequantizationError }
        }
        #expect(attempt(.q8_0, columns: 64, rows: 0..<2) == nil)
        #expect(attempt(.q8_0, columns: 64, rows: 1..<3)?.reason.contains("blob has 136 bytes") == true)
        #expect(attempt(.q8_0, columns: 48, rows: 0..<1)?.reason.contains("multiple of the block size 32") == true)
        #expect(attempt(.q5_0, columns: 32, rows: 0..<1)?.reason.contains("no decoder") == true)
    }
}
