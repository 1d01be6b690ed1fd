import Foundation

/// Derived metrics as data: names and formulas over counter names and the phase's context
/// (`seconds`, `tokens`, `weights`). The default is embedded and also in data/metrics.json;
/// `--metrics FILE` replaces it.
public struct MetricTable: Sendable {
    /// One metric definition.
    public struct Definition: Codable, Sendable, Equatable {
        /// Its name, e.g. "IPC".
        public var name: String
        /// Its formula, e.g. "instructions / cycles".
        public var formula: String
        /// The unit of the result.
        public var unit: String
        /// What it means.
        public var description: String
    }

    private struct File: Codable {
        var schema: String
        var metrics: [Definition]
    }

    /// The names that are context, not counters.
    public static let contextNames: Set<String> = ["seconds", "tokens", "weights"]

    /// The definitions with their parsed formulas.
    public let definitions: [(definition: Definition, formula: MetricFormula)]

    /// Parses a metrics file's text; throws naming `origin` and the bad formula.
    public init(json: String, origin: String) throws {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(json.utf8))
        } catch {
            throw CounterConfigurationError("metrics \(origin): not a valid metrics file (\(error))")
        }
        definitions = try file.metrics.map { definition in
            do {
                return (definition, try MetricFormula(definition.formula))
            } catch let error as CounterConfigurationError {
                throw CounterConfigurationError("metrics \(origin), metric '\(definition.name)': \(error.description)")
            }
        }
    }

    /// Reads a metrics file.
    public static func load(path: String) throws -> MetricTable {
        try MetricTable(json: SystemFileAccess().readText(path), origin: path)
    }

    /// The embedded default table.
    public static let builtIn: MetricTable = {
        do {
            return try MetricTable(json: defaultJSON, origin: "built-in")
        } catch {
            preconditionFailure("built-in metrics do not parse: \(error)")
        }
    }()

    /// Evaluates every metric that uses at least one of `counters` (or no counter at all).
    /// Inputs: each counter's value, `seconds`, and `tokens`/`weights` when given.
    public func evaluate(counters: CounterReading?, seconds: Double?, tokens: Int?, weights: Int?) -> [DerivedMetric] {
        let requested = Set(counters?.events.map(\.name) ?? [])
        func lookup(_ name: String) -> Known<Double> {
            switch name {
            case "seconds":
                return seconds.map { .known($0) } ?? .unknown("the phase's wall time is unknown")
            case "tokens":
                return tokens.map { .known(Double($0)) } ?? .unknown("the number of tokens is not known (for a command, pass --tokens N)")
            case "weights":
                return weights.map { .known(Double($0)) } ?? .unknown("the number of weights processed is not known (for a command, pass --weights N)")
            default:
                guard let event = counters?[name] else { return .unknown("not counted (add it to --counters)") }
                if let value = event.value { return .known(value) }
                if let code = event.errnoName { return .unknown("unsupported (\(code))") }
                return .unknown("unsupported (\(event.unsupportedReason ?? "no value"))")
            }
        }
        return definitions.compactMap { entry in
            let inputs = entry.formula.names.filter { !Self.contextNames.contains($0) }
            guard inputs.isEmpty || inputs.contains(where: requested.contains) else { return nil }
            let result = entry.formula.evaluate(lookup)
            return DerivedMetric(name: entry.definition.name, formula: entry.definition.formula,
                                 unit: entry.definition.unit, value: result.value, reason: result.reason)
        }
    }

    /// Must equal data/metrics.json (a test compares them).
    static let defaultJSON = #"""
    {
      "schema": "bitbench-metrics/1",
      "metrics": [
        { "name": "IPC", "formula": "instructions / cycles", "unit": "instructions/cycle", "description": "instructions retired per core cycle" },
        { "name": "CPUs utilized", "formula": "task-clock / (seconds * 1e9)", "unit": "CPUs", "description": "task time per wall time, as perf stat shows it" },
        { "name": "GHz", "formula": "cycles / task-clock", "unit": "GHz", "description": "cycles per nanosecond of task time" },
        { "name": "branch miss rate", "formula": "branch-misses / branches", "unit": "fraction", "description": "mispredicted branches per branch" },
        { "name": "cache miss rate", "formula": "cache-misses / cache-references", "unit": "fraction", "description": "cache misses per cache reference" },
        { "name": "instructions per token", "formula": "instructions / tokens", "unit": "instructions/token", "description": "instructions retired per token processed" },
        { "name": "LLC load misses per token", "formula": "LLC-load-misses / tokens", "unit": "misses/token", "description": "last-level cache load misses per token" },
        { "name": "cache misses per token", "formula": "cache-misses / tokens", "unit": "misses/token", "description": "cache misses per token" },
        { "name": "cycles per weight", "formula": "cycles / weights", "unit": "cycles/weight", "description": "core cycles per weight processed" },
        { "name": "instructions per weight", "formula": "instructions / weights", "unit": "instructions/weight", "description": "instructions retired per weight processed" }
      ]
    }
    """#
}

/// One derived metric's result, or why there is none.
public struct DerivedMetric: Codable, Sendable, Equatable {
    /// Its name.
    public var name: String
    /// Its formula.
    public var formula: String
    /// Unit of the value.
    public var unit: String
    /// The value, or nil.
    public var value: Double?
    /// Why there is no value.
    public var reason: String?

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(formula, forKey: .formula)
        try c.encode(unit, forKey: .unit)
        try c.encode(value, forKey: .value)
        try c.encode(reason, forKey: .reason)
    }
    private enum CodingKeys: String, CodingKey { case name, formula, unit, value, reason }
}
