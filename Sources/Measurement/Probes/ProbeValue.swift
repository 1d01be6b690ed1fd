/// A probe's value, or the reason it has none. Readings never stand in 0 for "unknown".
///
/// JSON: `{"value": 1.5}` or `{"value": null, "reason": "…"}`.
public enum ProbeValue<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    /// A value that was measured (or computed from measured inputs).
    case measured(Value)
    /// No value, and why.
    case unavailable(String)

    /// The value, or nil when unavailable.
    public var value: Value? {
        if case .measured(let v) = self { return v }
        return nil
    }

    /// The reason when unavailable, else nil.
    public var reason: String? {
        if case .unavailable(let r) = self { return r }
        return nil
    }

    private enum CodingKeys: String, CodingKey { case value, reason }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let v = try c.decodeIfPresent(Value.self, forKey: .value) {
            self = .measured(v)
        } else {
            self = .unavailable(try c.decodeIfPresent(String.self, forKey: .reason) ?? "no reason recorded")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .measured(let v):
            try c.encode(v, forKey: .value)
        case .unavailable(let r):
            try c.encodeNil(forKey: .value)
            try c.encode(r, forKey: .reason)
        }
    }
}
