import GGUF
import Kernels

/// Encodes rows of float values into a row-local stored type: F32 and F16 here (F16 rounds to
/// nearest even, as F16C does), the block formats through their registered quantizer
/// (llama.cpp's reference quantization).
enum SyntheticEncoding {
    static func encode(_ values: UnsafeBufferPointer<Float>, rows: Int, columns: Int, type: GGMLType,
                       into out: UnsafeMutableRawBufferPointer) throws {
        switch type {
        case .f32:
            precondition(out.count == values.count * 4)
            out.baseAddress!.copyMemory(from: values.baseAddress!, byteCount: values.count * 4)
        case .f16:
            precondition(out.count == values.count * 2)
            let halves = out.baseAddress!.assumingMemoryBound(to: UInt16.self)
            for i in 0..<values.count { halves[i] = Half.fromFloat(values[i]) }
        default:
            guard let id = formatID(of: type), let format = WeightFormats.all.first(where: { $0.id == id }) else {
                throw SyntheticError.invalidValue(field: "tensor type", value: "\(type)",
                                                  expected: "a type with a registered quantizer (f32, f16, q8_0, q4_0, q4_1)")
            }
            try format.quantize(values, rows: rows, columns: columns, parameters: .none, into: out)
        }
    }

    private static func formatID(of type: GGMLType) -> WeightFormatID? {
        switch type {
        case .q8_0: return .q8_0
        case .q4_0: return .q4_0
        case .q4_1: return .q4_1
        default: return nil
        }
    }
}
