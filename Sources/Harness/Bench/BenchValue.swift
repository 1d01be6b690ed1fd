/// A field's value in one record: data, or unavailable with the reason (never a 0 for unknown).
public enum BenchValue: Sendable, Equatable {
    case integer(Int)
    case number(Double)
    case text(String)
    case unavailable(String)
    /// The `unavailable` field: the reason of every other unavailable field, by field name.
    case reasons([(field: String, reason: String)])

    public static func == (a: BenchValue, b: BenchValue) -> Bool {
        switch (a, b) {
        case let (.integer(x), .integer(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.text(x), .text(y)), let (.unavailable(x), .unavailable(y)): return x == y
        case let (.reasons(x), .reasons(y)): return x.map(\.field) == y.map(\.field) && x.map(\.reason) == y.map(\.reason)
        default: return false
        }
    }

    /// A number, or unavailable when it is not finite.
    public static func finite(_ value: Double, else reason: String) -> BenchValue {
        value.isFinite ? .number(value) : .unavailable(reason)
    }
}
