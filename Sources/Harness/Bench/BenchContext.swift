/// What a whole bench run shares: build, machine and the notes that apply to every row.
public struct BenchContext: Sendable, Equatable {
    /// "release" or "debug" (a debug build's timings mean little).
    public var build: String
    /// CPU model name, when readable.
    public var cpu: String?
    /// Online CPUs.
    public var onlineCPUs: Int
    /// 1-minute load average at the start and the end of the run.
    public var loadAtStart: Double?
    public var loadAtEnd: Double?
    /// Warnings raised during the run (busy machine, debug build), also printed on stderr.
    public var warnings: [String]

    /// Makes a context.
    public init(build: String, cpu: String?, onlineCPUs: Int, loadAtStart: Double?, loadAtEnd: Double?, warnings: [String]) {
        self.build = build
        self.cpu = cpu
        self.onlineCPUs = onlineCPUs
        self.loadAtStart = loadAtStart
        self.loadAtEnd = loadAtEnd
        self.warnings = warnings
    }
}

/// A finished bench run: the schema, the records in plan order, and the context.
public struct BenchResult: Sendable {
    /// The field table every printer reads.
    public var schema: BenchSchema
    /// One record per plan point.
    public var records: [BenchRecord]
    /// The run's context.
    public var context: BenchContext

    /// Makes a result.
    public init(schema: BenchSchema, records: [BenchRecord], context: BenchContext) {
        self.schema = schema
        self.records = records
        self.context = context
    }
}
