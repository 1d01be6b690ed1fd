/// A value that may be unknown on this machine; when unknown, it says why.
///
/// JSON: `{"value": …}` or `{"value": null, "reason": "…"}`.
public enum Known<Value: Codable & Equatable & Sendable>: Codable, Equatable, Sendable {
    /// The value was read.
    case known(Value)
    /// It could not be read, and this is why.
    case unknown(String)

    /// The value, or nil.
    public var value: Value? {
        if case .known(let value) = self { return value }
        return nil
    }

    /// The reason it is unknown, or nil.
    public var reason: String? {
        if case .unknown(let reason) = self { return reason }
        return nil
    }

    /// The value as text, or `unknown (reason)`.
    public func text(_ format: (Value) -> String) -> String {
        switch self {
        case .known(let value): return format(value)
        case .unknown(let reason): return "unknown (\(reason))"
        }
    }

    private enum CodingKeys: String, CodingKey { case value, reason }

    /// Decodes either JSON shape.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let value = try container.decodeIfPresent(Value.self, forKey: .value) {
            self = .known(value)
        } else {
            self = .unknown(try container.decode(String.self, forKey: .reason))
        }
    }

    /// Encodes either JSON shape; `value` is always present, null when unknown.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .known(let value):
            try container.encode(value, forKey: .value)
        case .unknown(let reason):
            try container.encodeNil(forKey: .value)
            try container.encode(reason, forKey: .reason)
        }
    }
}

extension Known {
    /// Runs `read`, turning a thrown error into `.unknown` with the error's description.
    static func reading(_ read: () throws -> Value) -> Known {
        do { return .known(try read()) } catch { return .unknown("\(error)") }
    }
}
