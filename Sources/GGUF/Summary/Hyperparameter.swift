/// A metadata value as JSON shows it: integers stay integers, FLOAT32 values print as their
/// shortest decimal (1e-05, not 9.999999747378752e-06), arrays nest.
public enum Hyperparameter: Codable, Sendable, Equatable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case string(String)
    case bool(Bool)
    case array([Hyperparameter])

    public init(_ value: GGUFValue) {
        switch value {
        case .float32(let f): self = .number(Double(String(describing: f)) ?? Double(f))
        case .float64(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .bool(let b): self = .bool(b)
        case .array(_, let values): self = .array(values.map(Hyperparameter.init))
        default:
            if let i = value.intValue {
                self = .integer(i)
            } else {
                self = .number(value.doubleValue ?? .nan)
            }
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .integer(i)
        } else if let d = try? container.decode(Double.self) {
            self = .number(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else {
            self = .array(try container.decode([Hyperparameter].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let i): try container.encode(i)
        case .number(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .bool(let b): try container.encode(b)
        case .array(let a): try container.encode(a)
        }
    }

    /// JSON does not keep 3 and 3.0 apart, so an integer equals the number of the same value.
    public static func == (lhs: Hyperparameter, rhs: Hyperparameter) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .integer(let i): return "\(i)"
        case .number(let d): return "\(d)"
        case .string(let s): return s
        case .bool(let b): return "\(b)"
        case .array(let a):
            if a.count <= 8 { return "[" + a.map(\.description).joined(separator: ", ") + "]" }
            return "[\(a.count) values]"
        }
    }
}
