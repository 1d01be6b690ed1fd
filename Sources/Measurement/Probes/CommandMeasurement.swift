/// Measures one command the way `perf stat` does: started paused, counters attached with
/// inherit and enable-on-exec, energy sampled around it, wall time from release to exit.
public enum CommandMeasurement {
    /// Why the model cannot count a command's work.
    public static let unknownWorkReason = "the work counts (operations by type, DRAM bytes) of an arbitrary command are unknown, so the model can give only the static term"

    /// Runs `arguments` and measures it. Malformed counter names throw
    /// `CounterConfigurationError` before anything starts; a command that cannot be found or
    /// executed throws `CommandLaunchError`. The command's own exit status is data in the result.
    public static func run(arguments: [String], counterNames: [String], resolver: EventResolver = EventResolver(),
                           perf: any PerfEventSystem = KernelPerfEvents(), energy: EnergyProbe?,
                           metrics: MetricTable = .builtIn, tokens: Int? = nil, weights: Int? = nil) throws -> CommandReading {
        for name in counterNames { _ = try resolver.resolve(name) }
        let command = try PausedCommand(arguments: arguments)
        let counters: CounterProbe?
        do {
            counters = counterNames.isEmpty ? nil
                : try CounterProbe(session: CounterSession(names: counterNames, scope: .command(pid: command.pid),
                                                           resolver: resolver, system: perf))
        } catch {
            command.abandon()
            throw error
        }
        energy?.unknownWorkReason = unknownWorkReason
        let phase = PhaseProbe(counters: counters, energy: energy, metrics: metrics)
        phase.tokens = tokens
        phase.weights = weights
        phase.begin()
        try command.release()
        let status = try command.wait()
        phase.end()
        counters?.session.close()
        let reading = phase.reading()
        return CommandReading(command: arguments, status: status, wallSeconds: reading.wallSeconds.value ?? 0,
                              counters: reading.counters?.events ?? [], energy: reading.energy,
                              metrics: reading.metrics, tokens: tokens, weights: weights)
    }
}

/// The measurement of one command: `bitbench measure`'s record.
public struct CommandReading: Codable, Sendable, Equatable {
    /// argv.
    public var command: [String]
    /// How it ended.
    public var status: CommandStatus
    /// Wall time from release to exit.
    public var wallSeconds: Double
    /// One entry per requested counter.
    public var counters: [CounterValue]
    /// Energy, when requested.
    public var energy: EnergyReading?
    /// Derived metrics.
    public var metrics: [DerivedMetric]
    /// Tokens the command processed, when stated.
    public var tokens: Int?
    /// Weights it processed, when stated.
    public var weights: Int?

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(command, forKey: .command)
        try c.encode(status.exitStatus, forKey: .exitStatus)
        try c.encode(status.signal, forKey: .signal)
        try c.encode(wallSeconds, forKey: .wallSeconds)
        try c.encode(status.userSeconds, forKey: .userSeconds)
        try c.encode(status.systemSeconds, forKey: .systemSeconds)
        try c.encode(status.maxResidentKibibytes, forKey: .maxResidentKibibytes)
        try c.encode(counters, forKey: .counters)
        try c.encode(energy, forKey: .energy)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(tokens, forKey: .tokens)
        try c.encode(weights, forKey: .weights)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        command = try c.decode([String].self, forKey: .command)
        status = CommandStatus(exitStatus: try c.decodeIfPresent(Int32.self, forKey: .exitStatus),
                               signal: try c.decodeIfPresent(Int32.self, forKey: .signal),
                               userSeconds: try c.decode(Double.self, forKey: .userSeconds),
                               systemSeconds: try c.decode(Double.self, forKey: .systemSeconds),
                               maxResidentKibibytes: try c.decode(Int.self, forKey: .maxResidentKibibytes))
        wallSeconds = try c.decode(Double.self, forKey: .wallSeconds)
        counters = try c.decode([CounterValue].self, forKey: .counters)
        energy = try c.decodeIfPresent(EnergyReading.self, forKey: .energy)
        metrics = try c.decode([DerivedMetric].self, forKey: .metrics)
        tokens = try c.decodeIfPresent(Int.self, forKey: .tokens)
        weights = try c.decodeIfPresent(Int.self, forKey: .weights)
    }

    /// Makes a reading.
    public init(command: [String], status: CommandStatus, wallSeconds: Double, counters: [CounterValue],
                energy: EnergyReading?, metrics: [DerivedMetric], tokens: Int?, weights: Int?) {
        self.command = command
        self.status = status
        self.wallSeconds = wallSeconds
        self.counters = counters
        self.energy = energy
        self.metrics = metrics
        self.tokens = tokens
        self.weights = weights
    }

    private enum CodingKeys: String, CodingKey {
        case command, exitStatus, signal, wallSeconds, userSeconds, systemSeconds, maxResidentKibibytes
        case counters, energy, metrics, tokens, weights
    }

    /// The counter of that name.
    public subscript(counter name: String) -> CounterValue? {
        counters.first { $0.name == name }
    }
}
