/// One GGUF metadata value. Arrays keep their declared element type, so an empty array
/// round-trips with its type, and nested arrays are allowed (the format permits them).
///
/// Not `indirect`: the only recursive payload is an Array, which already lives on the heap,
/// so scalars stay unboxed (a tokenizer holds ~100k of them).
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32),
         float32(Float), bool(Bool), string(String), uint64(UInt64), int64(Int64), float64(Double)
    case array(elementType: GGUFValueType, values: [GGUFValue])

    /// The type tag this value is stored with.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        case .array: return .array
        }
    }

    /// Any integer case (and bool as 0/1) whose value fits in Int; nil otherwise.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return Int(exactly: v)
        case .int64(let v): return Int(v)
        case .bool(let v): return v ? 1 : 0
        default: return nil
        }
    }

    /// Any numeric case as a Double (integers may round above 2^53); nil for the rest.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        case .uint8(let v): return Double(v)
        case .int8(let v): return Double(v)
        case .uint16(let v): return Double(v)
        case .int16(let v): return Double(v)
        case .uint32(let v): return Double(v)
        case .int32(let v): return Double(v)
        case .uint64(let v): return Double(v)
        case .int64(let v): return Double(v)
        default: return nil
        }
    }

    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The flag of a bool value.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements of an array value.
    public var arrayValues: [GGUFValue]? {
        if case .array(_, let values) = self { return values }
        return nil
    }

    /// An array of strings; nil if this is not an array or any element is not a string.
    public var stringArray: [String]? {
        guard case .array(_, let values) = self else { return nil }
        var result: [String] = []
        result.reserveCapacity(values.count)
        for value in values {
            guard case .string(let s) = value else { return nil }
            result.append(s)
        }
        return result
    }

    /// An array of numbers as Float; nil if this is not an array or an element is not numeric.
    public var floatArray: [Float]? {
        guard case .array(_, let values) = self else { return nil }
        var result: [Float] = []
        result.reserveCapacity(values.count)
        for value in values {
            if case .float32(let f) = value {
                result.append(f)
            } else if let d = value.doubleValue {
                result.append(Float(d))
            } else {
                return nil
            }
        }
        return result
    }

    /// An array of integers; nil if this is not an array or an element is not an integer fitting Int.
    public var intArray: [Int]? {
        guard case .array(_, let values) = self else { return nil }
        var result: [Int] = []
        result.reserveCapacity(values.count)
        for value in values {
            guard let i = value.intValue else { return nil }
            result.append(i)
        }
        return result
    }
}

extension GGUFValue: CustomStringConvertible {
    /// A short rendering; long arrays are abbreviated to their type and count.
    public var description: String {
        switch self {
        case .uint8(let v): return "\(v)"
        case .int8(let v): return "\(v)"
        case .uint16(let v): return "\(v)"
        case .int16(let v): return "\(v)"
        case .uint32(let v): return "\(v)"
        case .int32(let v): return "\(v)"
        case .uint64(let v): return "\(v)"
        case .int64(let v): return "\(v)"
        case .float32(let v): return "\(v)"
        case .float64(let v): return "\(v)"
        case .bool(let v): return "\(v)"
        case .string(let s): return "\"\(s)\""
        case .array(let elementType, let values):
            if values.count <= 8 {
                return "[" + values.map(\.description).joined(separator: ", ") + "]"
            }
            return "[\(elementType) x \(values.count)]"
        }
    }
}
