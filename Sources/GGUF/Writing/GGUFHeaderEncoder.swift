/// Serializes the GGUF v3 header (FORMATS.md 1.1-1.3) into a byte array, little-endian.
struct GGUFHeaderEncoder {
    private(set) var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(string: String) {
        let utf8 = Array(string.utf8)
        append(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Appends a value's payload (not its type tag). Throws a description of the first array
    /// element whose type differs from the array's declared element type.
    mutating func append(value: GGUFValue, path: String) throws {
        switch value {
        case .uint8(let v): append(v)
        case .int8(let v): append(v)
        case .uint16(let v): append(v)
        case .int16(let v): append(v)
        case .uint32(let v): append(v)
        case .int32(let v): append(v)
        case .float32(let v): append(v.bitPattern)
        case .bool(let v): append(UInt8(v ? 1 : 0))
        case .string(let s): append(string: s)
        case .uint64(let v): append(v)
        case .int64(let v): append(v)
        case .float64(let v): append(v.bitPattern)
        case .array(let elementType, let values):
            append(elementType.rawValue)
            append(UInt64(values.count))
            for (i, element) in values.enumerated() {
                guard element.type == elementType else {
                    throw MismatchedElement(path: "\(path)[\(i)]", declared: elementType, found: element.type)
                }
                try append(value: element, path: "\(path)[\(i)]")
            }
        }
    }

    /// An array element whose type is not the array's declared element type.
    struct MismatchedElement: Error {
        var path: String
        var declared: GGUFValueType
        var found: GGUFValueType
    }
}
