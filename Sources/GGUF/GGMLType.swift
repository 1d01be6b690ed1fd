/// A ggml tensor type id as stored in GGUF tensor infos, with its block geometry.
///
/// Ids 36-39 are bitnet.cpp's fork (I2_S, I8_S, TL1, TL2); upstream ggml reuses 39 for MXFP4.
/// The table follows shared/reference/FORMATS.md section 1.4 (fork 406a5036).
public enum GGMLType: UInt32, CaseIterable, Sendable, CustomStringConvertible {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3
    case q5_0 = 6, q5_1 = 7, q8_0 = 8, q8_1 = 9
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, q8_K = 15
    case iq2_xxs = 16, iq2_xs = 17, iq3_xxs = 18, iq1_s = 19, iq4_nl = 20, iq3_s = 21, iq2_s = 22, iq4_xs = 23
    case i8 = 24, i16 = 25, i32 = 26, i64 = 27, f64 = 28, iq1_m = 29, bf16 = 30
    case q4_0_4_4 = 31, q4_0_4_8 = 32, q4_0_8_8 = 33
    case tq1_0 = 34, tq2_0 = 35
    case i2_s = 36, i8_s = 37, tl1 = 38, tl2 = 39

    /// The name llama.cpp and bitnet.cpp print for this type.
    public var description: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .bf16: return "BF16"
        case .f64: return "F64"
        case .i8: return "I8"
        case .i16: return "I16"
        case .i32: return "I32"
        case .i64: return "I64"
        case .i2_s: return "I2_S"
        case .i8_s: return "I8_S"
        case .tl1: return "TL1"
        case .tl2: return "TL2"
        default: return String(reflecting: self).split(separator: ".").last.map { $0.uppercased() } ?? "?"
        }
    }

    /// Elements per block along ne0 (1 for plain and for the specially sized bitnet types).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .f64, .i8, .i16, .i32, .i64, .i2_s, .i8_s, .tl1, .tl2: return 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1, .iq4_nl, .q4_0_4_4, .q4_0_4_8, .q4_0_8_8: return 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K, .iq2_xxs, .iq2_xs, .iq3_xxs, .iq1_s, .iq3_s,
             .iq2_s, .iq4_xs, .iq1_m, .tq1_0, .tq2_0:
            return 256
        }
    }

    /// Bytes per block (nominal for I2_S/TL1/TL2, whose real size comes from `byteCount`).
    public var typeSize: Int {
        switch self {
        case .f32, .i32: return 4
        case .f16, .bf16, .i16: return 2
        case .f64, .i64: return 8
        case .i8, .i8_s, .i2_s, .tl1, .tl2: return 1
        case .q4_0, .q4_0_4_4, .q4_0_4_8, .q4_0_8_8, .iq4_nl: return 18
        case .q4_1: return 20
        case .q5_0: return 22
        case .q5_1: return 24
        case .q8_0: return 34
        case .q8_1: return 36
        case .q2_K: return 84
        case .q3_K: return 110
        case .q4_K: return 144
        case .q5_K: return 176
        case .q6_K: return 210
        case .q8_K: return 292
        case .iq2_xxs: return 66
        case .iq2_xs: return 74
        case .iq3_xxs: return 98
        case .iq1_s: return 50
        case .iq3_s: return 110
        case .iq2_s: return 82
        case .iq4_xs: return 136
        case .iq1_m: return 56
        case .tq1_0: return 54
        case .tq2_0: return 66
        }
    }

    /// True for bitnet.cpp's types whose blob size follows a special rule, not blocks.
    public var hasSpecialSize: Bool { self == .i2_s || self == .tl1 || self == .tl2 }

    /// Byte size of a tensor of this type with the given ggml shape (ne0 first), or nil when the
    /// shape is not representable (ne0 not a multiple of the block, overflow, or TL2 with K < 256).
    /// I2_S/TL1: `n/4 + 32`; TL2: `roundup(F, 32) + 32` (FORMATS.md 1.4 and 2.3.6).
    public func byteCount(shape: [Int]) -> Int? {
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 0 }) else { return nil }
        var elements = 1
        for n in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: n)
            if overflow { return nil }
            elements = product
        }
        switch self {
        case .i2_s, .tl1:
            return elements / 4 + 32
        case .tl2:
            guard shape.count >= 2 else { return nil }
            let k = shape[0]
            let m = elements / max(k, 1)
            guard k >= 256 else { return nil }
            // Integer ops left to right, exactly as the fork's ggml_nbytes.
            let (a, o1) = (k - 256).multipliedReportingOverflow(by: m)
            let (b, o2) = (256).multipliedReportingOverflow(by: m)
            if o1 || o2 { return nil }
            let f = a / 3 * 5 / 8 + b / 2 * 4 / 8
            return (f + 31) / 32 * 32 + 32
        default:
            guard shape[0] % blockSize == 0 else { return nil }
            let (bytes, overflow) = (elements / blockSize).multipliedReportingOverflow(by: typeSize)
            return overflow ? nil : bytes
        }
    }
}
