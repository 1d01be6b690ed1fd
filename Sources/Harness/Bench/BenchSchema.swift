import Measurement

/// The one result schema of `bitbench bench`: a table of fields (name, unit, description, how
/// to read it from a record). Every printer — Markdown, CSV, JSON, JSONL — reads this table, so
/// adding a field is one line. Counter fields follow the requested counters.
public struct BenchSchema: Sendable {
    /// Bumped when a field changes meaning or is removed.
    public static let version = 1
    /// Name of the last field, which lists the reason of every unavailable field of the record.
    public static let reasonsField = "unavailable"

    /// One output column.
    public struct Field: Sendable {
        /// snake_case name: JSON key and CSV column.
        public let name: String
        /// Unit ("tokens/s", "ms", "bytes", "fraction", "J"; "" for labels and counts).
        public let unit: String
        /// What the field holds.
        public let description: String
        /// How to read it.
        public let value: @Sendable (BenchRecord) -> BenchValue

        /// Makes a field.
        public init(_ name: String, _ unit: String, _ description: String,
                    _ value: @escaping @Sendable (BenchRecord) -> BenchValue) {
            self.name = name
            self.unit = unit
            self.description = description
            self.value = value
        }
    }

    /// Every field, in output order; the last is `unavailable`.
    public let fields: [Field]

    /// The schema for a run with these counters.
    public init(counterNames: [String]) {
        var fields = Self.fixedFields
        for (index, name) in counterNames.enumerated() {
            fields.append(Field("counter[\(name)]", "", "perf counter \(name) over the test's phase, summed over the session's threads, median per repetition (its unit in counter_units)") { record in
                guard index < record.counters.count else { return .unavailable("counter not measured") }
                return Self.known(record.counters[index].value)
            })
        }
        fields += Self.energyFields
        fields.append(Field(Self.reasonsField, "", "the reason of every unavailable (null) field of this record, by field name") { _ in .reasons([]) })
        self.fields = fields
    }

    /// The field of that name.
    public func field(named name: String) -> Field? { fields.first { $0.name == name } }

    /// The values of one record in field order, with the `unavailable` field filled in.
    public func values(_ record: BenchRecord) -> [BenchValue] {
        var values = fields.map { $0.value(record) }
        var reasons: [(field: String, reason: String)] = []
        for (field, value) in zip(fields, values) {
            if case .unavailable(let why) = value { reasons.append((field.name, why)) }
        }
        values[values.count - 1] = .reasons(reasons)
        return values
    }

    static func known(_ value: Known<Double>) -> BenchValue {
        switch value {
        case .known(let v): return .finite(v, else: "not a finite number")
        case .unknown(let why): return .unavailable(why)
        }
    }

    private static func share(_ part: PhaseShares.Part) -> Field {
        Field("share_\(part.rawValue)", "fraction", "share of the phase's wall time in \(part.rawValue) (all shares sum to 1)") {
            .finite($0.shares[part], else: "no time was measured")
        }
    }

    static let fixedFields: [Field] = [
        Field("schema_version", "", "version of this field table") { _ in .integer(BenchSchema.version) },
        Field("model", "", "model file or synthetic preset") { .text($0.model) },
        Field("source", "", "the engine's label of the weights (seed, aliasing)") { .text($0.source) },
        Field("format", "", "weight type of the projections") { .text($0.format) },
        Field("weight_bytes", "bytes", "bytes of weights held") { .integer($0.weightBytes) },
        Field("parameters", "", "parameters of the model") { .integer($0.parameters) },
        Field("threads", "", "worker threads, the calling thread included") { .integer($0.threads) },
        Field("batch", "tokens", "tokens per forward pass in prompt processing (n_ubatch)") { .integer($0.batch) },
        Field("numa", "", "NUMA layout") { .text($0.numa) },
        Field("numa_note", "", "what the layout meant on this machine") { .text($0.numaNote ?? "") },
        Field("kernel_path", "", "kernel implementation that ran") { .text($0.kernelPath) },
        Field("test", "", "llama-bench test name: ppN processes N prompt tokens, tgN generates N tokens") { .text($0.test.name) },
        Field("test_kind", "", "pp or tg") { .text($0.test.kind.rawValue) },
        Field("n_prompt", "tokens", "prompt tokens processed in the timed phase (pp)") { .integer($0.test.kind == .pp ? $0.tokens : 0) },
        Field("n_gen", "tokens", "decode runs timed (tg)") { .integer($0.test.kind == .tg ? $0.tokens : 0) },
        Field("warmups", "", "unrecorded repetitions run first") { .integer($0.warmups) },
        Field("repetitions", "", "recorded repetitions (samples)") { .integer($0.tokensPerSecond.count) },
        Field("tokens_per_second", "tokens/s", "median speed over the repetitions") { .number($0.tokensPerSecond.median) },
        Field("tokens_per_second_mad", "tokens/s", "median absolute deviation of the speed") { .number($0.tokensPerSecond.medianAbsoluteDeviation) },
        Field("tokens_per_second_mean", "tokens/s", "mean speed") { .number($0.tokensPerSecond.mean) },
        Field("tokens_per_second_sd", "tokens/s", "standard deviation of the speed (n-1)") { .number($0.tokensPerSecond.standardDeviation) },
        Field("tokens_per_second_min", "tokens/s", "slowest repetition") { .number($0.tokensPerSecond.min) },
        Field("tokens_per_second_max", "tokens/s", "fastest repetition") { .number($0.tokensPerSecond.max) },
        Field("ms_per_token", "ms", "milliseconds per token at the median speed") { .finite($0.millisecondsPerToken, else: "no speed") },
        Field("x_f16", "ratio", "median speed over the F16 row's median (same model, threads, batch, layout, test; same run)") { BenchSchema.known($0.vsF16) },
        share(.matmul), share(.attention), share(.norms), share(.outputHead), share(.sampling), share(.other),
        Field("load_before", "", "1-minute load average before the row") { $0.loadBefore.map(BenchValue.number) ?? .unavailable("/proc/loadavg unreadable") },
        Field("load_after", "", "1-minute load average after the row") { $0.loadAfter.map(BenchValue.number) ?? .unavailable("/proc/loadavg unreadable") },
        Field("counter_units", "", "units of the counter fields that have one (name=unit)") { record in
            .text(record.counters.compactMap { c in c.unit.map { "\(c.name)=\($0)" } }.joined(separator: ";"))
        },
    ]

    static let energyFields: [Field] = [
        Field("energy_method", "", "how energy was obtained: a RAPL method, model (an estimate, labelled) or none") { .text($0.energy.method.rawValue) },
        Field("energy_measured", "", "true only for RAPL measurements") { .text($0.energy.measured ? "true" : "false") },
        Field("energy_joules", "J", "energy of the phase, median per repetition") { BenchSchema.known($0.energy.joules) },
        Field("energy_joules_per_token", "J/token", "energy per token, median per repetition") { BenchSchema.known($0.energy.joulesPerToken) },
        Field("energy_note", "", "the energy reading's note (why unavailable, or what an estimate covers)") { .text($0.energy.note ?? "") },
    ]
}
