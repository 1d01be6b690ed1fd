/// A ggml tensor type with its file id and block geometry.
///
/// Ids 36-39 are bitnet.cpp's fork (I2_S, I8_S, TL1, TL2); upstream ggml reuses 39 for MXFP4 and
/// adds 40 NVFP4 and 41 Q1_0. Two cases therefore share id 39: `init(rawValue:)` gives the fork's
/// reading (TL2), and `GGMLType(id:dialect:)` decides by the file's context (FORMATS.md 1.4).
/// The table follows shared/reference/FORMATS.md section 1.4 (fork 406a5036); the upstream-only
/// sizes come from pip gguf 0.19 `GGML_QUANT_SIZES`.
public enum GGMLType: CaseIterable, Sendable, Hashable, CustomStringConvertible, RawRepresentable {
    case f32, f16, q4_0, q4_1
    case q5_0, q5_1, q8_0, q8_1
    case q2_K, q3_K, q4_K, q5_K, q6_K, q8_K
    case iq2_xxs, iq2_xs, iq3_xxs, iq1_s, iq4_nl, iq3_s, iq2_s, iq4_xs
    case i8, i16, i32, i64, f64, iq1_m, bf16
    case q4_0_4_4, q4_0_4_8, q4_0_8_8
    case tq1_0, tq2_0
    /// bitnet.cpp fork types (ids 36-39).
    case i2_s, i8_s, tl1, tl2
    /// Upstream ggml types whose ids collide with, or follow, the fork's (39, 40, 41).
    /// The reader can size and skip them; no kernel here computes with them.
    case mxfp4, nvfp4, q1_0

    /// The id stored in GGUF tensor infos. `.tl2` and `.mxfp4` both have 39.
    public var rawValue: UInt32 {
        switch self {
        case .f32: return 0
        case .f16: return 1
        case .q4_0: return 2
        case .q4_1: return 3
        case .q5_0: return 6
        case .q5_1: return 7
        case .q8_0: return 8
        case .q8_1: return 9
        case .q2_K: return 10
        case .q3_K: return 11
        case .q4_K: return 12
        case .q5_K: return 13
        case .q6_K: return 14
        case .q8_K: return 15
        case .iq2_xxs: return 16
        case .iq2_xs: return 17
        case .iq3_xxs: return 18
        case .iq1_s: return 19
        case .iq4_nl: return 20
        case .iq3_s: return 21
        case .iq2_s: return 22
        case .iq4_xs: return 23
        case .i8: return 24
        case .i16: return 25
        case .i32: return 26
        case .i64: return 27
        case .f64: return 28
        case .iq1_m: return 29
        case .bf16: return 30
        case .q4_0_4_4: return 31
        case .q4_0_4_8: return 32
        case .q4_0_8_8: return 33
        case .tq1_0: return 34
        case .tq2_0: return 35
        case .i2_s: return 36
        case .i8_s: return 37
        case .tl1: return 38
        case .tl2, .mxfp4: return 39
        case .nvfp4: return 40
        case .q1_0: return 41
        }
    }

    /// The type with this id, reading the ambiguous id 39 as the bitnet.cpp fork's TL2.
    /// Ids 4 and 5 (removed Q4_2/Q4_3) and ids above 41 are unknown.
    public init?(rawValue: UInt32) {
        self.init(id: rawValue, dialect: .bitnetFork)
    }

    /// The type with this id under a type-id dialect: id 39 is TL2 in the fork, MXFP4 upstream.
    public init?(id: UInt32, dialect: GGMLTypeDialect) {
        if id == 39 {
            self = dialect == .upstream ? .mxfp4 : .tl2
            return
        }
        guard let type = GGMLType.byUnambiguousID[id] else { return nil }
        self = type
    }

    private static let byUnambiguousID: [UInt32: GGMLType] = {
        var table: [UInt32: GGMLType] = [:]
        for type in allCases where type.rawValue != 39 { table[type.rawValue] = type }
        return table
    }()

    /// True for the fork-only types (I2_S, I8_S, TL1, TL2).
    public var isBitnetForkType: Bool {
        switch self {
        case .i2_s, .i8_s, .tl1, .tl2: return true
        default: return false
        }
    }

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
        case .mxfp4: return "MXFP4"
        case .nvfp4: return "NVFP4"
        case .q1_0: return "Q1_0"
        case .iq2_xxs: return "IQ2_XXS"
        case .iq2_xs: return "IQ2_XS"
        case .iq3_xxs: return "IQ3_XXS"
        case .iq1_s: return "IQ1_S"
        case .iq4_nl: return "IQ4_NL"
        case .iq3_s: return "IQ3_S"
        case .iq2_s: return "IQ2_S"
        case .iq4_xs: return "IQ4_XS"
        case .iq1_m: return "IQ1_M"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q5_0: return "Q5_0"
        case .q5_1: return "Q5_1"
        case .q8_0: return "Q8_0"
        case .q8_1: return "Q8_1"
        case .q2_K: return "Q2_K"
        case .q3_K: return "Q3_K"
        case .q4_K: return "Q4_K"
        case .q5_K: return "Q5_K"
        case .q6_K: return "Q6_K"
        case .q8_K: return "Q8_K"
        case .q4_0_4_4: return "Q4_0_4_4"
        case .q4_0_4_8: return "Q4_0_4_8"
        case .q4_0_8_8: return "Q4_0_8_8"
        case .tq1_0: return "TQ1_0"
        case .tq2_0: return "TQ2_0"
        }
    }

    /// Elements per block along ne0 (1 for plain and for the specially sized bitnet types).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .f64, .i8, .i16, .i32, .i64, .i2_s, .i8_s, .tl1, .tl2: return 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1, .iq4_nl, .q4_0_4_4, .q4_0_4_8, .q4_0_8_8, .mxfp4: return 32
        case .nvfp4: return 64
        case .q1_0: return 128
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
        // Q8_1 is f16 d, f16 s, 32 x int8 (ggml-common.h); gguf-py's (32, 40) is the old float layout.
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
        // Upstream-only, from pip gguf 0.19 GGML_QUANT_SIZES: MXFP4 (32, 17), NVFP4 (64, 36), Q1_0 (128, 18).
        case .mxfp4: return 17
        case .nvfp4: return 36
        case .q1_0: return 18
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
