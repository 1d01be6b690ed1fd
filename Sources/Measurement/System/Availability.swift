/// Whether something works on this machine; when it does not, why. Never a bare false.
///
/// JSON: `{"available": true, "detail": "…"}` or `{"available": false, "reason": "…"}`.
public enum Availability: Codable, Equatable, Sendable, CustomStringConvertible {
    /// It works; `detail` says how or what was found.
    case available(String?)
    /// It does not work, and this is why.
    case unavailable(String)

    /// True for `.available`.
    public var isAvailable: Bool {
        if case .available = self { return true }
        return false
    }

    /// The reason for `.unavailable`, else nil.
    public var reason: String? {
        if case .unavailable(let reason) = self { return reason }
        return nil
    }

    /// `available (detail)` or `unavailable: reason`.
    public var description: String {
        switch self {
        case .available(let detail): return detail.map { "available (\($0))" } ?? "available"
        case .unavailable(let reason): return "unavailable: \(reason)"
        }
    }

    private enum CodingKeys: String, CodingKey { case available, detail, reason }

    /// Decodes the two JSON shapes above.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if try container.decode(Bool.self, forKey: .available) {
            self = .available(try container.decodeIfPresent(String.self, forKey: .detail))
        } else {
            self = .unavailable(try container.decode(String.self, forKey: .reason))
        }
    }

    /// Encodes the two JSON shapes above.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .available(let detail):
            try container.encode(true, forKey: .available)
            try container.encodeIfPresent(detail, forKey: .detail)
        case .unavailable(let reason):
            try container.encode(false, forKey: .available)
            try container.encode(reason, forKey: .reason)
        }
    }
}
