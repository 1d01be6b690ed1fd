/// Bench records merged from one or more results files: the union of their fields (first file's
/// order first) and the rows in file order.
public struct ResultTable: Sendable, Equatable {
    /// Field names in output order; `unavailable` (the reasons) stays last.
    public var fieldNames: [String]
    /// The records.
    public var rows: [ResultRow]
    /// The files read, in order.
    public var files: [String]

    /// Merges rows; fields missing from a row print as unavailable.
    public init(rows: [ResultRow], files: [String]) {
        var names: [String] = []
        var seen: Set<String> = []
        for row in rows {
            for name in row.names where name != BenchSchema.reasonsField && !seen.contains(name) {
                seen.insert(name)
                names.append(name)
            }
        }
        names.append(BenchSchema.reasonsField)
        self.fieldNames = names
        self.rows = rows
        self.files = files
    }

    /// The values of one row in `fieldNames` order, the reasons field recomputed from the nulls
    /// (so a field one file lacks is explained).
    public func values(_ row: ResultRow) -> [BenchValue] {
        var reasons: [(field: String, reason: String)] = []
        var out: [BenchValue] = []
        for name in fieldNames.dropLast() {
            let value = row[name]
            if case .unavailable(let why) = value { reasons.append((name, why)) }
            out.append(value)
        }
        out.append(.reasons(reasons))
        return out
    }
}
