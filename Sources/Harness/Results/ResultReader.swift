import Foundation

/// Reads `bitbench bench` output back: a `-o json` document (its `records`) or `-o jsonl` (one
/// record per line), several files merged in order. Every record must carry this build's
/// schema version and the identity fields; anything else is refused naming file, line and field.
public enum ResultReader {
    /// Largest results file read (a results file is text tables, far below this).
    public static let maximumFileBytes = 256 << 20

    /// Fields the schema writes as integers (BenchSchema's `.integer` fields; a test checks
    /// this list against a real record).
    public static let integerFields: Set<String> = [
        "schema_version", "weight_bytes", "parameters", "threads", "batch", "n_prompt", "n_gen", "warmups", "repetitions",
    ]
    /// Fields every record needs: the identity `compare` matches on, and the speed.
    public static let requiredFields: [(name: String, text: Bool)] = [
        ("model", true), ("format", true), ("test", true), ("threads", false), ("tokens_per_second", false),
    ]

    /// Reads and merges the files.
    public static func read(paths: [String]) throws -> ResultTable {
        var rows: [ResultRow] = []
        for path in paths {
            rows += try read(path: path)
        }
        return ResultTable(rows: rows, files: paths)
    }

    /// Reads one file.
    public static func read(path: String) throws -> [ResultRow] {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw ResultFileError(file: path, problem: "cannot open: \((error as NSError).localizedDescription)")
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > maximumFileBytes {
            throw ResultFileError(file: path, problem: "\(size) bytes; expected a results file of at most \(maximumFileBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ResultFileError(file: path, problem: "cannot read the file")
        }
        return try parse(data, file: path)
    }

    /// Parses the contents of a results file named `file`.
    public static func parse(_ data: Data, file: String) throws -> [ResultRow] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ResultFileError(file: file, problem: "not UTF-8 text; expected bench -o json or -o jsonl output")
        }
        // A whole-file document with "records" is -o json; anything else is read line by line.
        if case .object(let document)? = try? JSONDecoder().decode(JSONValue.self, from: data), document["records"] != nil {
            return try parseDocument(document, file: file)
        }
        var rows: [ResultRow] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let object: JSONValue
            do { object = try JSONDecoder().decode(JSONValue.self, from: Data(trimmed.utf8)) } catch {
                throw ResultFileError(file: file, line: index + 1, problem: "not valid JSON; expected one bench record (a JSON object) per line")
            }
            guard case .object(let record) = object else {
                throw ResultFileError(file: file, line: index + 1, problem: "expected a JSON object (one bench record)")
            }
            rows.append(try row(record, keyOrder: keyOrder(trimmed), file: file, line: index + 1, index: nil))
        }
        if rows.isEmpty {
            throw ResultFileError(file: file, problem: "no records; expected bench -o json or -o jsonl output")
        }
        return rows
    }

    private static func parseDocument(_ document: [String: JSONValue], file: String) throws -> [ResultRow] {
        if let version = document["schema_version"] {
            try checkVersion(version, file: file, line: nil, field: "schema_version")
        }
        guard case .array(let list)? = document["records"] else {
            throw ResultFileError(file: file, field: "records", problem: "expected an array of record objects")
        }
        // Key order of the document's records comes from its schema list, when present.
        var schemaOrder: [String]?
        if case .array(let schema)? = document["schema"] {
            schemaOrder = schema.compactMap { entry in
                if case .object(let field) = entry, case .string(let name)? = field["name"] { return name }
                return nil
            }
        }
        return try list.enumerated().map { index, entry in
            guard case .object(let record) = entry else {
                throw ResultFileError(file: file, field: "records[\(index)]", problem: "expected a record object; found \(entry.described)")
            }
            return try row(record, keyOrder: schemaOrder ?? record.keys.sorted(), file: file, line: nil, index: index)
        }
    }

    private static func checkVersion(_ value: JSONValue, file: String, line: Int?, field: String) throws {
        guard value == .number(Double(BenchSchema.version)) else {
            throw ResultFileError(file: file, line: line, field: field,
                                  problem: "expected schema version \(BenchSchema.version); found \(value.described)")
        }
    }

    /// Object keys in the order the line wrote them (JSONSerialization forgets the order).
    static func keyOrder(_ line: String) -> [String] {
        var keys: [String] = []
        var depth = 0
        var index = line.startIndex
        var expectingKey = false
        while index < line.endIndex {
            let c = line[index]
            if c == "\"" {
                // Read a string literal, skipping escapes.
                var end = line.index(after: index)
                var literal = ""
                while end < line.endIndex && line[end] != "\"" {
                    if line[end] == "\\" { end = line.index(after: end) }
                    if end < line.endIndex { literal.append(line[end]); end = line.index(after: end) }
                }
                if depth == 1 && expectingKey { keys.append(literal); expectingKey = false }
                index = end < line.endIndex ? line.index(after: end) : end
                continue
            }
            if c == "{" || c == "[" { depth += 1; if depth == 1 { expectingKey = true } }
            if c == "}" || c == "]" { depth -= 1 }
            if c == "," && depth == 1 { expectingKey = true }
            index = line.index(after: index)
        }
        return keys
    }

    private static func row(_ record: [String: JSONValue], keyOrder: [String], file: String, line: Int?, index: Int?) throws -> ResultRow {
        let fieldPrefix = index.map { "records[\($0)]." } ?? ""
        func fail(_ field: String, _ problem: String) -> ResultFileError {
            ResultFileError(file: file, line: line, field: fieldPrefix + field, problem: problem)
        }
        guard let version = record["schema_version"] else {
            throw fail("schema_version", "missing; expected \(BenchSchema.version) (is this bench output?)")
        }
        try checkVersion(version, file: file, line: line, field: fieldPrefix + "schema_version")
        var reasons: [String: String] = [:]
        if let raw = record[BenchSchema.reasonsField] {
            guard case .object(let list) = raw else { throw fail(BenchSchema.reasonsField, "expected an object of field: reason; found \(raw.described)") }
            for (key, reason) in list {
                guard case .string(let text) = reason else { throw fail(BenchSchema.reasonsField + "." + key, "expected a reason string; found \(reason.described)") }
                reasons[key] = text
            }
        }
        var names = keyOrder.filter { record[$0] != nil }
        names += record.keys.filter { !names.contains($0) }.sorted()
        var values: [String: BenchValue] = [:]
        for name in names where name != BenchSchema.reasonsField {
            switch record[name]! {
            case .null:
                values[name] = .unavailable(reasons[name] ?? "null in the file, no reason recorded")
            case .string(let text):
                values[name] = .text(text)
            case .number(let value):
                guard value.isFinite else { throw fail(name, "expected a finite number") }
                if integerFields.contains(name) {
                    // 2^53: the largest range where a JSON number holds every integer exactly.
                    guard value == value.rounded(), abs(value) <= 9_007_199_254_740_992 else { throw fail(name, "expected an integer; found \(value)") }
                    values[name] = .integer(Int(value))
                } else {
                    values[name] = .number(value)
                }
            case let other:
                throw fail(name, "expected a string, a number or null; found \(other.described)")
            }
        }
        for (name, isText) in requiredFields {
            guard let value = values[name] else { throw fail(name, "missing; every bench record has it") }
            switch (value, isText) {
            case (.text, true), (.integer, false), (.number, false), (.unavailable, false): continue
            default: throw fail(name, isText ? "expected a string; found \(record[name]!.described)" : "expected a number or null; found \(record[name]!.described)")
            }
        }
        return ResultRow(file: file, line: line ?? 1, record: index, names: names, values: values)
    }
}
