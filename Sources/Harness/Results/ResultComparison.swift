import Foundation

/// `bitbench compare`: matches baseline and current records by their identity fields and calls
/// each pair. A regression needs the drop of the median to exceed both the threshold (a
/// fraction of the baseline median) and the noise: noiseFactor × (baseline spread + current
/// spread), the spread being the metric's `_mad` field (0 when the metric has none).
public struct ResultComparison: Sendable {
    /// Fields that identify a measurement across runs.
    public static let identityFields = ["model", "format", "threads", "batch", "numa", "test"]
    /// Metrics where a smaller value is better (time and energy per unit of work, counters).
    public static func lowerIsBetter(_ metric: String) -> Bool {
        metric == "ms_per_token" || metric.hasPrefix("energy_joules") || metric.hasPrefix("counter[")
    }

    /// The rule's parameters.
    public struct Rule: Sendable, Equatable {
        /// Metric field compared (a numeric schema field).
        public var metric: String = "tokens_per_second"
        /// Smallest relative change that counts (0.05 = 5%).
        public var threshold: Double = 0.05
        /// Multiplier of the summed spreads that a change must also exceed.
        public var noiseFactor: Double = 1
        /// Makes the default rule.
        public init() {}
    }

    /// The call on one identity.
    public enum Verdict: String, Sendable, Equatable {
        case regression, improvement
        /// The change exceeds the threshold but not the noise.
        case withinNoise = "within noise"
        /// The change is below the threshold.
        case unchanged
        case onlyInBaseline = "only in baseline"
        case onlyInCurrent = "only in current"
        /// The metric has no value on one side (the reason is in the row).
        case unavailable
    }

    /// One compared identity.
    public struct Row: Sendable, Equatable {
        /// "model format t=N batch=B numa test".
        public var identity: [String]
        /// The metric's median in each run (nil: missing or unavailable, see `note`).
        public var baseline: Double?
        public var current: Double?
        /// The metric's MAD in each run (nil when the file has no `_mad` field for it).
        public var baselineSpread: Double?
        public var currentSpread: Double?
        /// current / baseline.
        public var ratio: Double?
        public var verdict: Verdict
        /// Why a value is missing, when it is.
        public var note: String
    }

    /// The rule used.
    public let rule: Rule
    /// Rows in baseline order, then the identities only the current run has.
    public let rows: [Row]

    /// True when any row is a regression.
    public var hasRegression: Bool { rows.contains { $0.verdict == .regression } }
    /// True when any row could not be compared (missing on a side, or unavailable).
    public var hasUncompared: Bool { rows.contains { [.onlyInBaseline, .onlyInCurrent, .unavailable].contains($0.verdict) } }

    /// Compares the tables; a table with two records of one identity is refused (naming both).
    public init(baseline: ResultTable, current: ResultTable, rule: Rule) throws {
        self.rule = rule
        let base = try Self.index(baseline)
        let cur = try Self.index(current)
        var rows: [Row] = []
        for (key, b) in base.order.map({ ($0, base.rows[$0]!) }) {
            guard let c = cur.rows[key] else {
                rows.append(Row(identity: key, baseline: b.number(rule.metric), current: nil, baselineSpread: b.number(rule.metric + "_mad"), currentSpread: nil,
                                ratio: nil, verdict: .onlyInBaseline, note: "no matching record in \(current.files.joined(separator: ", "))"))
                continue
            }
            rows.append(Self.compare(key, b, c, rule))
        }
        for key in cur.order where base.rows[key] == nil {
            rows.append(Row(identity: key, baseline: nil, current: cur.rows[key]!.number(rule.metric), baselineSpread: nil,
                            currentSpread: cur.rows[key]!.number(rule.metric + "_mad"),
                            ratio: nil, verdict: .onlyInCurrent, note: "no matching record in \(baseline.files.joined(separator: ", "))"))
        }
        self.rows = rows
    }

    private static func index(_ table: ResultTable) throws -> (order: [[String]], rows: [[String]: ResultRow]) {
        var order: [[String]] = []
        var rows: [[String]: ResultRow] = [:]
        for row in table.rows {
            let key = identityFields.map { row.text($0) }
            if let first = rows[key] {
                throw ResultFileError(file: row.file, line: row.record == nil ? row.line : nil, field: row.record.map { "records[\($0)]" },
                                      problem: "a second record of \(key.joined(separator: " ")) (the first is at \(first.place)); compare needs one record per identity")
            }
            rows[key] = row
            order.append(key)
        }
        return (order, rows)
    }

    static func compare(_ key: [String], _ b: ResultRow, _ c: ResultRow, _ rule: Rule) -> Row {
        let metric = rule.metric
        var row = Row(identity: key, baseline: b.number(metric), current: c.number(metric),
                      baselineSpread: b.number(metric + "_mad"), currentSpread: c.number(metric + "_mad"),
                      ratio: nil, verdict: .unavailable, note: "")
        guard let base = row.baseline, let current = row.current else {
            var why: [String] = []
            if row.baseline == nil { why.append("baseline: " + b.unavailableReason(metric)) }
            if row.current == nil { why.append("current: " + c.unavailableReason(metric)) }
            row.note = why.joined(separator: "; ")
            return row
        }
        guard base != 0 else {
            row.note = "baseline \(metric) is 0; no ratio"
            return row
        }
        row.ratio = current / base
        // Signed gain: positive is better, in the metric's own units.
        let gain = lowerIsBetter(metric) ? base - current : current - base
        let noise = rule.noiseFactor * ((row.baselineSpread ?? 0) + (row.currentSpread ?? 0))
        let beyondThreshold = abs(gain) > rule.threshold * abs(base)
        let beyondNoise = abs(gain) > noise
        if !beyondThreshold {
            row.verdict = .unchanged
        } else if !beyondNoise {
            row.verdict = .withinNoise
        } else {
            row.verdict = gain < 0 ? .regression : .improvement
        }
        if row.baselineSpread == nil || row.currentSpread == nil {
            row.note = "no \(metric)_mad on one side: its spread counts as 0"
        }
        return row
    }

    /// The comparison as a Markdown table with a summary line.
    public func markdown() -> String {
        func v(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "n/a" }
        func pipe(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        let m = rule.metric
        var out = "| model | format | threads | batch | numa | test | baseline \(m) (± MAD) | current \(m) (± MAD) | current/baseline | verdict | note |\n"
        out += "|---|---|---:|---:|---|---:|---:|---:|---:|---|---|\n"
        for row in rows {
            let cells = row.identity.map(pipe) + [
                v(row.baseline) + (row.baseline == nil ? "" : " ± " + v(row.baselineSpread)),
                v(row.current) + (row.current == nil ? "" : " ± " + v(row.currentSpread)),
                row.ratio.map { String(format: "%.3f", $0) } ?? "n/a",
                row.verdict == .regression ? "**regression**" : row.verdict.rawValue,
                pipe(row.note),
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        let counts = Verdict.allCasesInOrder.compactMap { verdict -> String? in
            let n = rows.filter { $0.verdict == verdict }.count
            return n == 0 ? nil : "\(n) \(verdict.rawValue)"
        }
        out += "\nRule: a regression is a \(Self.lowerIsBetter(m) ? "rise" : "drop") of the median \(m) by more than "
        out += String(format: "%g%%", rule.threshold * 100)
        out += " of the baseline and by more than \(String(format: "%g", rule.noiseFactor)) × (baseline MAD + current MAD).\n"
        out += "Summary: " + (counts.isEmpty ? "no records" : counts.joined(separator: ", ")) + ".\n"
        return out
    }
}

extension ResultComparison.Verdict {
    /// Verdicts in summary order.
    static let allCasesInOrder: [Self] = [.regression, .improvement, .withinNoise, .unchanged, .onlyInBaseline, .onlyInCurrent, .unavailable]
}
