/// One bench record read back from a results file: its fields by name in file order, and where
/// it came from (file and line) so every later message can point at it.
public struct ResultRow: Sendable, Equatable {
    /// The file the record came from.
    public var file: String
    /// 1-based line of the record (JSONL), or of the document (JSON, where it is 1).
    public var line: Int
    /// Index in the document's `records` array (JSON), nil for JSONL.
    public var record: Int?
    /// Field names in the order the file wrote them (the schema order).
    public var names: [String]
    /// Values by field name; a null is `.unavailable` with the reason from the `unavailable` field.
    public var values: [String: BenchValue]

    /// Makes a row.
    public init(file: String, line: Int, record: Int? = nil, names: [String], values: [String: BenchValue]) {
        self.file = file
        self.line = line
        self.record = record
        self.names = names
        self.values = values
    }

    /// Where the record is: "file:line" (JSONL) or "file records[i]" (JSON).
    public var place: String {
        record.map { "\(file) records[\($0)]" } ?? "\(file):\(line)"
    }

    /// The value of a field, or unavailable naming the missing field.
    public subscript(name: String) -> BenchValue {
        values[name] ?? .unavailable("no field \(name) in \(file)")
    }

    /// A field's number (integers widen), or nil when it is not a number.
    public func number(_ name: String) -> Double? {
        switch self[name] {
        case .integer(let v): return Double(v)
        case .number(let v): return v.isFinite ? v : nil
        default: return nil
        }
    }

    /// A field as text for labels ("n/a" when unavailable).
    public func text(_ name: String) -> String {
        switch self[name] {
        case .integer(let v): return String(v)
        case .number(let v): return "\(v)"
        case .text(let v): return v
        case .unavailable: return "n/a"
        case .reasons: return ""
        }
    }

    /// Why a field has no value: its recorded reason, or that it is not a number.
    public func unavailableReason(_ name: String) -> String {
        switch self[name] {
        case .unavailable(let why): return why
        case .text(let v): return "\(name) is text ('\(v)'), not a number"
        default: return "not a finite number"
        }
    }
}
