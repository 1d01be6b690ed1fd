/// The type tag of a GGUF metadata value (FORMATS.md 1.2).
public enum GGUFValueType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case uint8 = 0, int8, uint16, int16, uint32, int32, float32, bool, string, array, uint64, int64, float64

    /// Payload size in bytes for fixed-size types; nil for string and array.
    public var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }

    /// The fewest bytes one value of this type can occupy in a file: a string is at least its
    /// u64 length, an array at least its u32 element type and u64 count. The reader checks
    /// `count * minimumEncodedSize <= remaining bytes` before it allocates anything.
    public var minimumEncodedSize: Int {
        switch self {
        case .string: return 8
        case .array: return 12
        default: return fixedSize ?? 1
        }
    }

    /// The name gguf-py uses (UINT8, STRING, ...).
    public var description: String {
        switch self {
        case .uint8: return "UINT8"
        case .int8: return "INT8"
        case .uint16: return "UINT16"
        case .int16: return "INT16"
        case .uint32: return "UINT32"
        case .int32: return "INT32"
        case .float32: return "FLOAT32"
        case .bool: return "BOOL"
        case .string: return "STRING"
        case .array: return "ARRAY"
        case .uint64: return "UINT64"
        case .int64: return "INT64"
        case .float64: return "FLOAT64"
        }
    }
}
