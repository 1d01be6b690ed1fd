import Foundation

/// Prints a bench result from its schema: Markdown (llama-bench's table plus where the time
/// goes), CSV (one column per schema field), JSON (one document with the schema) and JSONL (one
/// record per line, for appending to a results file).
public enum BenchReport {
    /// `-o` formats.
    public enum Format: String, CaseIterable, Sendable {
        case md, csv, json, jsonl
    }

    /// The result rendered in `format`.
    public static func render(_ result: BenchResult, as format: Format) throws -> String {
        switch format {
        case .md: return markdown(result)
        case .csv: return csv(result)
        case .json: return try json(result)
        case .jsonl: return try jsonLines(result)
        }
    }

    // MARK: JSON

    /// A JSON literal for one value; unavailable values are null (their reason is in `unavailable`).
    static func jsonLiteral(_ value: BenchValue) throws -> String {
        switch value {
        case .integer(let v): return String(v)
        case .number(let v): return v.isFinite ? "\(v)" : "null"
        case .text(let v): return try quoted(v)
        case .unavailable: return "null"
        case .reasons(let list):
            let members = try list.map { try quoted($0.field) + ": " + quoted($0.reason) }
            return "{" + members.joined(separator: ", ") + "}"
        }
    }

    private static func quoted(_ text: String) throws -> String {
        String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
    }

    /// One record as a JSON object with the keys in schema order.
    static func jsonObject(_ record: BenchRecord, schema: BenchSchema) throws -> String {
        let members = try zip(schema.fields, schema.values(record)).map { field, value in
            try quoted(field.name) + ": " + jsonLiteral(value)
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    static func json(_ result: BenchResult) throws -> String {
        let schema = try result.schema.fields.map { field in
            "{\"name\": \(try quoted(field.name)), \"unit\": \(try quoted(field.unit)), \"description\": \(try quoted(field.description))}"
        }
        let context = result.context
        let contextMembers = [
            "\"build\": \(try quoted(context.build))",
            "\"cpu\": " + (try context.cpu.map(quoted) ?? "null"),
            "\"online_cpus\": \(context.onlineCPUs)",
            "\"load_at_start\": " + (context.loadAtStart.map { "\($0)" } ?? "null"),
            "\"load_at_end\": " + (context.loadAtEnd.map { "\($0)" } ?? "null"),
            "\"warnings\": [" + (try context.warnings.map(quoted).joined(separator: ", ")) + "]",
        ]
        var out = "{\n  \"schema_version\": \(BenchSchema.version),\n"
        out += "  \"context\": {" + contextMembers.joined(separator: ", ") + "},\n"
        out += "  \"schema\": [\n    " + schema.joined(separator: ",\n    ") + "\n  ],\n"
        let records = try result.records.map { try jsonObject($0, schema: result.schema) }
        out += "  \"records\": [\n    " + records.joined(separator: ",\n    ") + "\n  ]\n}\n"
        return out
    }

    static func jsonLines(_ result: BenchResult) throws -> String {
        try result.records.map { try jsonObject($0, schema: result.schema) + "\n" }.joined()
    }

    // MARK: CSV

    /// RFC 4180 quoting where a cell needs it.
    static func csvCell(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    static func csv(_ result: BenchResult) -> String {
        var lines = [result.schema.fields.map { csvCell($0.name) }.joined(separator: ",")]
        for record in result.records {
            lines.append(result.schema.values(record).map { value -> String in
                switch value {
                case .integer(let v): return String(v)
                case .number(let v): return v.isFinite ? "\(v)" : ""
                case .text(let v): return csvCell(v)
                case .unavailable: return ""
                case .reasons(let list): return csvCell(list.map { "\($0.field): \($0.reason)" }.joined(separator: " | "))
                }
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Markdown

    static func markdown(_ result: BenchResult) -> String {
        let schema = result.schema
        let records = result.records
        func value(_ name: String, _ record: BenchRecord) -> BenchValue {
            schema.field(named: name)?.value(record) ?? .unavailable("no field \(name)")
        }
        func cell(_ v: BenchValue, digits: Int = 2) -> String {
            switch v {
            case .integer(let x): return String(x)
            case .number(let x): return String(format: "%.\(digits)f", x)
            case .text(let x): return x.replacingOccurrences(of: "|", with: "\\|")
            case .unavailable: return "n/a"
            case .reasons: return ""
            }
        }
        func percent(_ name: String, _ record: BenchRecord) -> String {
            if case .number(let x) = value(name, record) { return String(format: "%.1f%%", x * 100) }
            return "n/a"
        }
        // Like llama-bench, sweep columns appear only when they vary.
        let varies: (String) -> Bool = { name in Set(records.map { cell(value(name, $0)) }).count > 1 }
        var columns: [(header: String, align: String, text: (BenchRecord) -> String)] = [
            ("model", "---", { cell(value("model", $0)) }),
            ("format", "---", { cell(value("format", $0)) }),
            ("size", "---:", { Self.bytes($0.weightBytes) }),
            ("params", "---:", { $0.parameters >= 1_000_000_000 ? String(format: "%.2f B", Double($0.parameters) / 1e9)
                                     : String(format: "%.2f M", Double($0.parameters) / 1e6) }),
            ("threads", "---:", { cell(value("threads", $0)) }),
        ]
        if varies("batch") { columns.append(("batch", "---:", { cell(value("batch", $0)) })) }
        if varies("numa") { columns.append(("numa", "---", { cell(value("numa", $0)) })) }
        columns += [
            ("test", "---:", { cell(value("test", $0)) }),
            ("t/s (median ± MAD)", "---:", { cell(value("tokens_per_second", $0)) + " ± " + cell(value("tokens_per_second_mad", $0)) }),
            ("min–max", "---:", { cell(value("tokens_per_second_min", $0)) + "–" + cell(value("tokens_per_second_max", $0)) }),
            ("n", "---:", { cell(value("repetitions", $0)) }),
            ("x F16", "---:", { cell(value("x_f16", $0)) }),
            ("matmul", "---:", { percent("share_matmul", $0) }),
            ("attention", "---:", { percent("share_attention", $0) }),
            ("norms", "---:", { percent("share_norms", $0) }),
            ("output", "---:", { percent("share_output_head", $0) }),
            ("sampling", "---:", { percent("share_sampling", $0) }),
            ("other", "---:", { percent("share_other", $0) }),
        ]
        var out = "| " + columns.map(\.header).joined(separator: " | ") + " |\n"
        out += "|" + columns.map(\.align).joined(separator: "|") + "|\n"
        for record in records {
            out += "| " + columns.map { $0.text(record) }.joined(separator: " | ") + " |\n"
        }

        // Counters and energy: one more table, every probe field of the schema.
        let energyRequested = records.contains { $0.energy.requested }
        let probeFields = schema.fields.filter {
            $0.name.hasPrefix("counter[") || (energyRequested && ($0.name == "energy_joules" || $0.name == "energy_joules_per_token"))
        }
        if !records.isEmpty && !probeFields.isEmpty {
            out += "\n| model | format | threads | test | " + probeFields.map(\.name).joined(separator: " | ") + " | energy method |\n"
            out += "|---|---|---:|---:|" + probeFields.map { _ in "---:" }.joined(separator: "|") + "|---|\n"
            for record in records {
                let cells = probeFields.map { field -> String in
                    if case .number(let x) = field.value(record) {
                        return abs(x) >= 1000 ? String(format: "%.0f", x) : String(format: "%.4g", x)
                    }
                    return "n/a"
                }
                out += "| \(cell(value("model", record))) | \(cell(value("format", record))) | \(record.threads) | \(record.test.name) | "
                    + cells.joined(separator: " | ") + " | \(record.energy.method.rawValue) |\n"
            }
        }

        // Footer: what the columns mean, the build, the load, and every reason for an n/a.
        out += "\nt/s = tokens per second, median ± median absolute deviation over n repetitions (min–max beside);"
        out += " pp = prompt tokens processed in batches, tg = decode runs (one token each, sampling included)."
        out += " Shares = where the phase's wall time went; other = embedding, activations, residuals and untimed time."
        out += " x F16 = this median / the F16 row's median in the same run.\n"
        let units = Set(records.flatMap(\.counters).compactMap { c in c.unit.map { "\(c.name) in \($0)" } }).sorted()
        if !units.isEmpty { out += "Counters are medians per repetition, summed over the session's threads (\(units.joined(separator: ", "))).\n" }
        let context = result.context
        out += "Build \(context.build), \(context.cpu ?? "CPU unknown"), \(context.onlineCPUs) online CPUs"
        if let start = context.loadAtStart, let end = context.loadAtEnd {
            out += String(format: ", 1-minute load average %.2f at start, %.2f at end", start, end)
        }
        out += ".\n"
        // One note per reason; fields sharing it are listed together. Reasons that differ only in
        // per-row detail (a phase's length) show the first row's wording; -o json has every row's.
        var reasonFields: [(reason: String, fields: [String])] = []
        var seenFields: Set<String> = []
        for record in records {
            guard case .reasons(let list)? = schema.values(record).last else { continue }
            for item in list where !seenFields.contains(item.field) {
                seenFields.insert(item.field)
                if let i = reasonFields.firstIndex(where: { $0.reason == item.reason }) {
                    reasonFields[i].fields.append(item.field)
                } else {
                    reasonFields.append((item.reason, [item.field]))
                }
            }
        }
        var notes = reasonFields.map { "\($0.fields.joined(separator: ", ")): unavailable: \($0.reason)" }
        for record in records {
            if let note = record.numaNote, !notes.contains("numa \(record.numa): \(note)") { notes.append("numa \(record.numa): \(note)") }
            if record.energy.method == .model, let note = record.energy.note, !notes.contains("energy (estimate): \(note)") {
                notes.append("energy (estimate): \(note)")
            }
        }
        for warning in context.warnings { notes.append("warning: \(warning)") }
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "- " + $0 }.joined(separator: "\n") + "\n" }
        return out
    }

    /// GiB from 1 GiB up (llama-bench's unit), MiB below.
    static func bytes(_ count: Int) -> String {
        count >= 1 << 30 ? String(format: "%.2f GiB", Double(count) / Double(1 << 30))
            : String(format: "%.2f MiB", Double(count) / Double(1 << 20))
    }
}
