/// Decodes and validates a GGUF v2/v3 byte image (FORMATS.md 1.1-1.4).
///
/// Every count, length, offset and shape is checked against the bytes that remain, and for
/// overflow, before it is used: an array of `n` elements is only reserved after
/// `n * minimumEncodedSize <= remaining bytes`, so a lying count can never make it allocate more
/// elements than the file has bytes. `chargedElements` records every such reservation.
struct GGUFParser {
    /// The parsed header, ready for GGUFFile.
    struct Header {
        var version: UInt32
        var alignment: Int
        var metadata: GGUFMetadata
        var tensorInfos: [GGUFTensorInfo]
        var dataOffset: Int
        var dialect: GGMLTypeDialectDecision
    }

    /// One tensor info as stored, before its type id is interpreted.
    struct RawTensorInfo {
        var name: String
        var shape: [Int]
        var elementCount: Int
        var typeID: UInt32
        var typeFieldOffset: Int
        var offset: Int
        var offsetFieldOffset: Int
    }

    /// The deepest array nesting accepted; it bounds the recursion (llama.cpp uses none).
    static let maximumArrayDepth = 8
    /// The default data alignment when `general.alignment` is absent (FORMATS.md 1.1).
    static let defaultAlignment = 32
    /// The fewest bytes a tensor info can take: name length, n_dims, type, offset.
    static let minimumTensorInfoSize = 8 + 4 + 4 + 8
    /// The fewest bytes a key/value can take: key length, type, a 1-byte value.
    static let minimumKeyValueSize = 8 + 4 + 1
    /// "GGUF" read as a little-endian u32.
    static let magic: UInt32 = 0x4655_4747

    let bytes: UnsafeRawBufferPointer
    let file: String
    private(set) var position = 0
    /// Elements (values, string bytes, dims, tensor infos) reserved so far; each reservation is
    /// charged before it is made and never exceeds the bytes left at that point.
    var chargedElements = 0

    init(bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    var remaining: Int { bytes.count - position }

    // MARK: - The file

    mutating func parse() throws -> Header {
        let magic = try readInteger(UInt32.self, field: "magic")
        guard magic == Self.magic else {
            let found = (0..<4).map { hex(bytes[$0]) }.joined(separator: " ")
            throw failure(.badMagic, "magic", at: 0, "\"GGUF\" (47 47 55 46), found \(found)")
        }
        let version = try readInteger(UInt32.self, field: "version")
        guard version == 2 || version == 3 else {
            let swapped = version.byteSwapped
            let detail: String
            if swapped == 2 || swapped == 3 {
                detail = "version 2 or 3 little-endian, found a big-endian file (version \(swapped))"
            } else if version == 1 {
                detail = "version 2 or 3, found 1 (GGUF v1 used 32-bit counts and is not supported)"
            } else {
                detail = "version 2 or 3, found \(version)"
            }
            throw failure(.unsupportedVersion, "version", at: 4, detail)
        }
        let tensorCountOffset = position
        let tensorCount64 = try readInteger(UInt64.self, field: "tensor_count")
        let keyValueCountOffset = position
        let keyValueCount64 = try readInteger(UInt64.self, field: "kv_count")
        let keyValueCount = try checkedCount(keyValueCount64, minimumSize: Self.minimumKeyValueSize,
                                             field: "kv_count", at: keyValueCountOffset, what: "key/value pairs")
        var alignmentFieldOffset: Int?
        let metadata = try readMetadata(count: keyValueCount, alignmentFieldOffset: &alignmentFieldOffset)
        let alignment = try readAlignment(metadata, fieldOffset: alignmentFieldOffset)

        let tensorCount = try checkedCount(tensorCount64, minimumSize: Self.minimumTensorInfoSize,
                                           field: "tensor_count", at: tensorCountOffset, what: "tensor infos")
        let raw = try readRawTensorInfos(count: tensorCount)
        let headerEnd = position
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        if !raw.isEmpty && dataOffset > bytes.count {
            throw failure(.truncated, "data section", at: headerEnd,
                          "the data section to start at byte \(dataOffset) (header padded to \(alignment)), but the file has \(bytes.count) bytes")
        }
        let dataSize = max(0, bytes.count - dataOffset)
        let dialect = decideDialect(raw, metadata: metadata, dataSize: dataSize, alignment: alignment)
        let infos = try resolveTensorInfos(raw, dialect: dialect.dialect, alignment: alignment,
                                           dataOffset: dataOffset, dataSize: dataSize)
        try checkNoOverlap(infos, raw: raw, dataOffset: dataOffset)
        return Header(version: version, alignment: alignment, metadata: metadata, tensorInfos: infos,
                      dataOffset: dataOffset, dialect: dialect)
    }

    /// A count read from the file, accepted only if that many of the smallest possible encodings
    /// fit in the bytes that remain.
    private func checkedCount(_ count: UInt64, minimumSize: Int, field: String, at offset: Int,
                              what: String) throws -> Int {
        let fitting = remaining / minimumSize
        guard count <= UInt64(fitting) else {
            throw failure(.lengthPastEnd, field, at: offset,
                          "at most \(fitting) \(what) (\(remaining) bytes left, \(minimumSize) bytes each at least), found \(count)")
        }
        return Int(count)
    }

    // MARK: - Metadata

    private mutating func readMetadata(count: Int, alignmentFieldOffset: inout Int?) throws -> GGUFMetadata {
        var metadata = GGUFMetadata()
        var firstIndex: [String: Int] = [:]
        for i in 0..<count {
            let keyOffset = position
            let key = try readString(field: "kv[\(i)] key")
            if let first = firstIndex[key] {
                throw failure(.duplicateKey, "kv[\(i)] \"\(key)\"", at: keyOffset,
                              "a key not seen before, found a repeat of kv[\(first)]")
            }
            firstIndex[key] = i
            let base = "kv[\(i)] \"\(key)\""
            let typeOffset = position
            let rawType = try readInteger(UInt32.self, field: base + " type")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw failure(.unknownValueType, base + " type", at: typeOffset,
                              "a value type 0-12, found \(rawType)")
            }
            if key == "general.alignment" { alignmentFieldOffset = typeOffset }
            let value = try readValue(type, depth: 0, field: base)
            metadata.insertNew(key, value)
        }
        return metadata
    }

    /// `general.alignment`: a u32 power of two (FORMATS.md 1.1), 32 when absent.
    private func readAlignment(_ metadata: GGUFMetadata, fieldOffset: Int?) throws -> Int {
        guard let value = metadata["general.alignment"] else { return Self.defaultAlignment }
        let field = "kv \"general.alignment\""
        guard case .uint32(let alignment) = value else {
            throw failure(.invalidValue, field, at: fieldOffset, "type UINT32, found \(value.type)")
        }
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw failure(.invalidValue, field, at: fieldOffset, "a power of two, found \(alignment)")
        }
        return Int(alignment)
    }

    private mutating func readValue(_ type: GGUFValueType, depth: Int, field: @autoclosure () -> String) throws -> GGUFValue {
        switch type {
        case .string:
            return .string(try readString(field: field()))
        case .array:
            return try readArray(depth: depth, field: field())
        default:
            let valueOffset = position
            guard let size = type.fixedSize, remaining >= size else {
                throw failure(.truncated, field() + " value", at: valueOffset,
                              "a \(type) value, but the file ends at byte \(bytes.count)")
            }
            guard let value = scalar(type, at: valueOffset) else {
                throw failure(.invalidValue, field() + " value", at: valueOffset,
                              "a BOOL of 0 or 1, found \(bytes[valueOffset])")
            }
            position += size
            return value
        }
    }

    private mutating func readArray(depth: Int, field: String) throws -> GGUFValue {
        let typeOffset = position
        let rawType = try readInteger(UInt32.self, field: field + " array element type")
        guard let elementType = GGUFValueType(rawValue: rawType) else {
            throw failure(.unknownValueType, field + " array element type", at: typeOffset,
                          "a value type 0-12, found \(rawType)")
        }
        if elementType == .array && depth + 1 >= Self.maximumArrayDepth {
            throw failure(.invalidValue, field + " array element type", at: typeOffset,
                          "arrays nested at most \(Self.maximumArrayDepth) deep")
        }
        let countOffset = position
        let count64 = try readInteger(UInt64.self, field: field + " array count")
        let count = try checkedCount(count64, minimumSize: elementType.minimumEncodedSize,
                                     field: field + " array count", at: countOffset,
                                     what: "\(elementType) elements")
        chargedElements += count
        var values: [GGUFValue] = []
        values.reserveCapacity(count)
        switch elementType {
        case .string:
            for i in 0..<count { values.append(.string(try readString(field: "\(field)[\(i)]"))) }
        case .array:
            for i in 0..<count { values.append(try readArray(depth: depth + 1, field: "\(field)[\(i)]")) }
        default:
            // checkedCount proved count * size <= remaining for fixed-size elements.
            let size = elementType.minimumEncodedSize
            for i in 0..<count {
                let at = position + i * size
                guard let value = scalar(elementType, at: at) else {
                    throw failure(.invalidValue, "\(field)[\(i)]", at: at, "a BOOL of 0 or 1, found \(bytes[at])")
                }
                values.append(value)
            }
            position += count * size
        }
        return .array(elementType: elementType, values: values)
    }

    /// A fixed-size value at `offset` (caller checked the bytes exist); nil for a bool not 0/1.
    private func scalar(_ type: GGUFValueType, at offset: Int) -> GGUFValue? {
        switch type {
        case .uint8: return .uint8(bytes[offset])
        case .int8: return .int8(Int8(bitPattern: bytes[offset]))
        case .bool:
            let b = bytes[offset]
            return b <= 1 ? .bool(b == 1) : nil
        case .uint16: return .uint16(load(UInt16.self, offset))
        case .int16: return .int16(load(Int16.self, offset))
        case .uint32: return .uint32(load(UInt32.self, offset))
        case .int32: return .int32(load(Int32.self, offset))
        case .float32: return .float32(Float(bitPattern: load(UInt32.self, offset)))
        case .uint64: return .uint64(load(UInt64.self, offset))
        case .int64: return .int64(load(Int64.self, offset))
        case .float64: return .float64(Double(bitPattern: load(UInt64.self, offset)))
        case .string, .array: return nil
        }
    }

    // MARK: - Primitive reads

    func load<T: FixedWidthInteger>(_: T.Type, _ offset: Int) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    mutating func readInteger<T: FixedWidthInteger>(_: T.Type, field: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw failure(.truncated, field(), at: position,
                          "a \(size)-byte field, but the file ends at byte \(bytes.count)")
        }
        let value = load(T.self, position)
        position += size
        return value
    }

    /// A GGUF string: u64 byte length, then UTF-8 bytes with no terminator. Invalid UTF-8 is
    /// repaired with U+FFFD, as Swift strings must be valid.
    mutating func readString(field: @autoclosure () -> String) throws -> String {
        let lengthOffset = position
        let length64 = try readInteger(UInt64.self, field: field() + " length")
        guard length64 <= UInt64(remaining) else {
            throw failure(.lengthPastEnd, field() + " length", at: lengthOffset,
                          "at most \(remaining) bytes (the rest of the file), found \(length64)")
        }
        let length = Int(length64)
        chargedElements += length
        guard length > 0, let base = bytes.baseAddress else { return "" }
        let text = String(decoding: UnsafeBufferPointer(start: (base + position).assumingMemoryBound(to: UInt8.self),
                                                        count: length), as: UTF8.self)
        position += length
        return text
    }

    func failure(_ kind: GGUFError.Kind, _ field: String, at offset: Int?, _ expected: String) -> GGUFError {
        GGUFError(kind, file: file, field: field, offset: offset, expected: expected)
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
