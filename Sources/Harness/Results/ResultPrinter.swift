import Foundation

/// Prints merged results with the bench printers' cell rules: CSV and JSON/JSONL with the same
/// field names, null/empty for unavailable and the reasons in `unavailable`; Markdown as
/// llama-bench's table (records read back hold no samples, so it shows the recorded statistics).
public enum ResultPrinter {
    /// `-o` formats of `bitbench report`.
    public enum Format: String, CaseIterable, Sendable {
        case md, csv, json, jsonl, svg
    }

    /// The table rendered in `format`.
    public static func render(_ table: ResultTable, as format: Format) throws -> String {
        switch format {
        case .md: return markdown(table)
        case .csv: return csv(table)
        case .json: return try json(table)
        case .jsonl: return try table.rows.map { try object($0, table) + "\n" }.joined()
        case .svg: return ResultChart.svg(table)
        }
    }

    static func object(_ row: ResultRow, _ table: ResultTable) throws -> String {
        let members = try zip(table.fieldNames, table.values(row)).map { name, value in
            String(decoding: try JSONEncoder().encode(name), as: UTF8.self) + ": " + (try BenchReport.jsonLiteral(value))
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    static func json(_ table: ResultTable) throws -> String {
        let files = try table.files.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        var out = "{\n  \"schema_version\": \(BenchSchema.version),\n"
        out += "  \"files\": [" + files.joined(separator: ", ") + "],\n"
        let records = try table.rows.map { try object($0, table) }
        out += "  \"records\": [\n    " + records.joined(separator: ",\n    ") + "\n  ]\n}\n"
        return out
    }

    static func csv(_ table: ResultTable) -> String {
        var lines = [table.fieldNames.map(BenchReport.csvCell).joined(separator: ",")]
        for row in table.rows {
            lines.append(table.values(row).map { value -> String in
                switch value {
                case .integer(let v): return String(v)
                case .number(let v): return v.isFinite ? "\(v)" : ""
                case .text(let v): return BenchReport.csvCell(v)
                case .unavailable: return ""
                case .reasons(let list): return BenchReport.csvCell(list.map { "\($0.field): \($0.reason)" }.joined(separator: " | "))
                }
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown cell: numbers with two decimals, n/a for unavailable, pipes escaped.
    static func cell(_ value: BenchValue) -> String {
        switch value {
        case .integer(let x): return String(x)
        case .number(let x): return String(format: "%.2f", x)
        case .text(let x): return x.replacingOccurrences(of: "|", with: "\\|")
        case .unavailable: return "n/a"
        case .reasons: return ""
        }
    }

    /// A share as a percentage, n/a when unavailable.
    static func percent(_ value: BenchValue) -> String {
        if case .number(let x) = value { return String(format: "%.1f%%", x * 100) }
        return "n/a"
    }

    static func markdown(_ table: ResultTable) -> String {
        let rows = table.rows
        let varies: (String) -> Bool = { name in Set(rows.map { cell($0[name]) }).count > 1 }
        var columns: [(header: String, align: String, text: (ResultRow) -> String)] = [
            ("model", "---", { cell($0["model"]) }),
            ("format", "---", { cell($0["format"]) }),
            ("threads", "---:", { cell($0["threads"]) }),
        ]
        if varies("batch") { columns.append(("batch", "---:", { cell($0["batch"]) })) }
        if varies("numa") { columns.append(("numa", "---", { cell($0["numa"]) })) }
        if varies("kernel_path") { columns.append(("kernel", "---", { cell($0["kernel_path"]) })) }
        columns += [
            ("test", "---:", { cell($0["test"]) }),
            ("t/s (median ± MAD)", "---:", { cell($0["tokens_per_second"]) + " ± " + cell($0["tokens_per_second_mad"]) }),
            ("min–max", "---:", { cell($0["tokens_per_second_min"]) + "–" + cell($0["tokens_per_second_max"]) }),
            ("n", "---:", { cell($0["repetitions"]) }),
            ("x F16", "---:", { cell($0["x_f16"]) }),
            ("matmul", "---:", { percent($0["share_matmul"]) }),
            ("attention", "---:", { percent($0["share_attention"]) }),
            ("norms", "---:", { percent($0["share_norms"]) }),
            ("output", "---:", { percent($0["share_output_head"]) }),
            ("sampling", "---:", { percent($0["share_sampling"]) }),
            ("other", "---:", { percent($0["share_other"]) }),
            ("record", "---", { $0.place.replacingOccurrences(of: "|", with: "\\|") }),
        ]
        var out = "| " + columns.map(\.header).joined(separator: " | ") + " |\n"
        out += "|" + columns.map(\.align).joined(separator: "|") + "|\n"
        for row in rows {
            out += "| " + columns.map { $0.text(row) }.joined(separator: " | ") + " |\n"
        }
        out += "\nt/s = tokens per second, median ± median absolute deviation over n repetitions (min–max beside), as recorded in \(table.files.joined(separator: ", "))."
        out += " Shares = where the phase's wall time went. -o json or csv has every field, counters and energy included.\n"
        var notes: [String] = []
        for row in rows {
            for (name, value) in zip(table.fieldNames, table.values(row)) where ["tokens_per_second", "tokens_per_second_mad", "x_f16"].contains(name) {
                if case .unavailable(let why) = value, !notes.contains("\(name): unavailable: \(why)") { notes.append("\(name): unavailable: \(why)") }
            }
        }
        if !notes.isEmpty { out += "\nNotes:\n" + notes.map { "- " + $0 }.joined(separator: "\n") + "\n" }
        return out
    }
}
