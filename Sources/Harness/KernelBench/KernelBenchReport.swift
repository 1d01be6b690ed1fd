import Foundation
import Kernels

/// Prints kernel benchmark records as Markdown, CSV or JSON (an array, one object per case).
/// CSV and JSON carry every field of `KernelBenchRecord.fields`; Markdown a readable subset.
public enum KernelBenchReport {
    /// An output format of `bitbench kernels -o`.
    public enum Format: String, CaseIterable, Sendable {
        case md, csv, json
    }

    /// The records rendered in `format`.
    public static func render(_ records: [KernelBenchRecord], context: KernelBenchRunner.Context,
                              as format: Format) throws -> String {
        switch format {
        case .json: return try json(records)
        case .csv: return csv(records)
        case .md: return markdown(records, context: context)
        }
    }

    /// One object per record with the keys in field-table order (JSONEncoder does not keep order);
    /// strings are escaped by JSONEncoder, non-finite numbers become null.
    static func json(_ records: [KernelBenchRecord]) throws -> String {
        let encoder = JSONEncoder()
        func literal(_ value: KernelBenchRecord.Value) throws -> String {
            switch value {
            case let .integer(v): return String(v)
            case let .number(v): return v.isFinite ? String(v) : "null"
            case let .text(v): return String(decoding: try encoder.encode(v), as: UTF8.self)
            case let .flag(v): return v ? "true" : "false"
            case .missing: return "null"
            }
        }
        let objects = try records.map { record in
            let members = try KernelBenchRecord.fields.map { field in
                "    \"\(field.name)\": " + (try literal(field.value(record)))
            }
            return "  {\n" + members.joined(separator: ",\n") + "\n  }"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    static func csv(_ records: [KernelBenchRecord]) -> String {
        let fields = KernelBenchRecord.fields
        var lines = [fields.map(\.name).joined(separator: ",")]
        for record in records {
            lines.append(fields.map { field -> String in
                switch field.value(record) {
                case let .integer(v): return String(v)
                case let .number(v): return v.isFinite ? String(v) : ""
                case let .text(v): return v.contains(where: { $0 == "," || $0 == "\"" })
                    ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
                case let .flag(v): return v ? "true" : "false"
                case .missing: return ""
                }
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ records: [KernelBenchRecord], context: KernelBenchRunner.Context) -> String {
        func number(_ v: Double?, _ digits: Int) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "–" }
        var out = "| format | shape (MxK) | batch | threads | median ms | cv % | weight GB/s | GOPS | read BW GB/s | BW frac | best frac | x F16 | x scalar |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for r in records {
            out += "| \(r.format.rawValue) | \(r.m)x\(r.k) | \(r.batch) | \(r.threads) | "
            out += number(r.time.median / 1e6, 3) + " | " + number(r.time.coefficientOfVariation.map { $0 * 100 }, 1) + " | "
            out += number(r.weightGBps, 2) + " | " + number(r.gops, 1) + " | " + number(r.bandwidthGBps, 2) + " | "
            out += number(r.bandwidthFraction.map { $0 * 100 }, 0).appending(r.bandwidthFraction == nil ? "" : "%") + " | "
            out += number(r.bestBandwidthFraction.map { $0 * 100 }, 0).appending(r.bestBandwidthFraction == nil ? "" : "%") + " | "
            out += number(r.speedupOverF16, 2) + " | " + number(r.speedupOverScalar, 1) + " |\n"
        }
        let notes = records.compactMap { r in r.note.map { "- \(r.format.rawValue) \(r.m)x\(r.k) batch \(r.batch) t\(r.threads): \($0)" } }
        out += "\n"
        let cold = records.first?.cold ?? true
        out += "Weights \(cold ? "cold (rotating through copies, pool ≥ \(context.coldPoolBytes >> 20) MiB)" : "hot (one copy, reused)")"
        out += ", kernel path \(context.path.rawValue)"
        switch context.lastLevelCache {
        case let .success(bytes): out += ", last-level cache \(bytes >> 20) MiB"
        case let .failure(error): out += ", last-level cache unknown (\(error))"
        }
        out += ". Read bandwidth over the whole probe buffer: "
        out += context.bandwidthGBps.keys.sorted().map { "\($0) thread(s) \(number(context.bandwidthGBps[$0], 2)) GB/s" }.joined(separator: ", ")
        out += ". Per-case read BW is measured alongside that case; best frac = the fastest repetition's"
        out += " weight GB/s over the fastest paired read. x F16 = F16 median / this median;"
        if context.scalarRepetitions > 0 {
            out += " x scalar = scalar-path median / this median (same workers, \(context.scalarRepetitions) rep(s) unless noted).\n"
        } else {
            out += " The scalar reference was not measured (--scalar-reps 0).\n"
        }
        if let before = context.loadBefore, let after = context.loadAfter {
            out += String(format: "1-minute load average: %.2f before, %.2f after the run.\n", before, after)
        }
        if !notes.isEmpty { out += "\nNotes:\n" + notes.joined(separator: "\n") + "\n" }
        return out
    }
}
