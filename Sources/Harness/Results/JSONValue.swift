/// A parsed JSON value. Results are parsed with JSONDecoder through this type because it rounds
/// numbers correctly; JSONSerialization on Linux was measured 1 ulp off (0.30000000000000004
/// read back as 0.3000000000000001), which would break the printers' round trip.
enum JSONValue: Decodable, Equatable {
    case null
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let v = try? container.decode(String.self) { self = .string(v) }
        else if let v = try? container.decode(Double.self) { self = .number(v) }
        else if let v = try? container.decode(Bool.self) { self = .bool(v) }
        else if let v = try? container.decode([String: JSONValue].self) { self = .object(v) }
        else { self = .array(try container.decode([JSONValue].self)) }
    }

    /// How a value is named in an error message.
    var described: String {
        switch self {
        case .null: return "null"
        case .string(let s): return "the string '\(s)'"
        case .number(let n): return "the number \(n)"
        case .bool(let b): return "\(b)"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
