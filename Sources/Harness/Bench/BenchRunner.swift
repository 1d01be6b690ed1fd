import Engine
import Foundation
import GGUF
import Kernels
import Measurement
import Synthetic

/// Runs a bench plan end to end through the engine's library API, llama-bench style: each
/// (model, weight type) is made once; each (layout, threads, batch) gets one session that serves
/// every test; each test runs warm-ups, then repetitions, each wrapped in the phase probes (wall
/// clock, per-thread perf counters, energy) through the session's phase hooks.
public final class BenchRunner {
    /// How the runner measures.
    public struct Options {
        /// Recorded repetitions per test (`-r`).
        public var repetitions = 5
        /// Unrecorded repetitions before them.
        public var warmups = 1
        /// perf counters to open per session on its threads (`--counters`); empty for none.
        public var counterNames: [String] = []
        /// Energy method (`--energy`); nil for off.
        public var energy: EnergySelection?
        /// The energy model for `--energy model` and `auto`'s fallback (`--tdp`, `--energy-constants`).
        public var energyModel = EnergyModel()
        /// Resolves counter names.
        public var resolver = EventResolver()
        /// The perf_event_open interface (tests replace it).
        public var perfSystem: any PerfEventSystem = KernelPerfEvents()
        /// Where the energy sources live.
        public var energyEnvironment = EnergyEnvironment()
        /// Bytes to plan against instead of MemAvailable (tests).
        public var availableMemoryBytes: Int?
        /// `--alias-layers K` for synthetic models.
        public var aliasLayers: Int?
        /// `--fit-memory` for synthetic models.
        public var fitMemory = false
        /// Draw the synthetic models' progress bars.
        public var showProgress = false
        /// Seed of the prompt tokens.
        public var tokenSeed: UInt64 = 0x5eed
        /// Progress and warnings (stderr in the CLI).
        public var log: (String) -> Void = { _ in }
        /// A load average above this many times the online CPUs makes the run "busy".
        public var busyLoadPerCPU = 1.0
        /// NUMA memory nodes of the machine (nil: read from libnuma, 1 when it is unavailable).
        public var numaNodeCount: Int?

        /// Default options.
        public init() {}
    }

    private let options: Options

    /// Checks the options; counter names that cannot be parsed are refused here.
    public init(options: Options) throws {
        guard options.repetitions >= 1 else {
            throw BenchFlagError(flag: "-r", text: "\(options.repetitions)", expected: "at least 1 repetition")
        }
        guard options.warmups >= 0 else {
            throw BenchFlagError(flag: "--warmup", text: "\(options.warmups)", expected: "0 or more warm-up runs")
        }
        for name in options.counterNames {
            do { _ = try options.resolver.resolve(name) } catch {
                throw BenchFlagError(flag: "--counters", text: name, expected: "a known event name (\(error))")
            }
        }
        self.options = options
    }

    /// Runs every point of `plan`; the records come back in plan order.
    public func run(_ plan: BenchPlan) throws -> BenchResult {
        let sweep = plan.sweep
        let planner = options.availableMemoryBytes.map { available in
            MemoryPlanner(memory: { SystemMemory(available: available, total: available) })
        } ?? MemoryPlanner()
        let loader = BenchModelLoader(sweep: sweep, planner: planner, aliasLayers: options.aliasLayers,
                                      fitMemory: options.fitMemory, showProgress: options.showProgress)
        let numaNotes = try numaNotes(sweep.numaLayouts)
        var entries: [BenchModelLoader.Entry] = []
        for point in plan.points where !entries.contains(where: { $0.modelIndex == point.modelIndex && $0.format == point.format }) {
            let model = sweep.models[point.modelIndex]
            let label = point.format.map { "synthetic \(model.name) \($0.rawValue)" } ?? model.name
            entries.append(.init(modelIndex: point.modelIndex, format: point.format, label: label))
        }
        try loader.check(entries)

        var warnings: [String] = []
        #if DEBUG
        warnings.append("debug build: timings are not representative (build with -c release)")
        options.log("bitbench: warning: \(warnings[0])")
        #endif
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let loadAtStart = MachineLoad.oneMinute()
        warnIfBusy(loadAtStart, cpus: cpus, when: "at the start", into: &warnings)

        let energy = options.energy.map { EnergyProbe(selection: $0, environment: options.energyEnvironment, model: options.energyModel) }
        defer { energy?.close() }

        var records: [BenchRecord] = []
        var recordPoints: [BenchPlan.Point] = []
        var index = 0
        for entry in entries {
            let made = try loader.make(entry)
            let source = made.source
            let parameters = source.tensorInfos.reduce(0) { $0 + $1.elementCount }
            let format = entry.format?.rawValue ?? BenchModelLoader.projectionType(of: source)
            let points = plan.points.filter { $0.modelIndex == entry.modelIndex && $0.format == entry.format }
            var start = 0
            while start < points.count {
                let first = points[start]
                var end = start
                while end < points.count, points[end].numa == first.numa, points[end].threads == first.threads,
                      points[end].batch == first.batch { end += 1 }
                let session = try InferenceSession(source: source, options: SessionOptions(
                    threads: first.threads, contextLength: sweep.contextNeeded, batchSize: first.batch,
                    availableMemoryBytes: options.availableMemoryBytes))
                let probe = PhaseProbe(counters: try openCounters(session), energy: energy)
                let gate = PhaseGate(probe: probe, session: session)
                session.hooks = gate.hooks
                for point in points[start..<end] {
                    index += 1
                    options.log("bitbench: [\(index)/\(plan.points.count)] \(source.sourceLabel), \(point.threads) thread(s), batch \(point.batch), \(point.numa), \(point.test.name)")
                    var record = try measure(point.test, session: session, gate: gate, sweep: sweep)
                    record.model = sweep.models[entry.modelIndex].name
                    record.source = source.sourceLabel
                    record.format = format
                    record.weightBytes = made.weightBytes
                    record.parameters = parameters
                    record.numa = point.numa.description
                    record.numaNote = numaNotes[point.numa]
                    records.append(record)
                    recordPoints.append(point)
                }
                probe.counters?.session.close()
                start = end
            }
        }
        let loadAtEnd = MachineLoad.oneMinute()
        warnIfBusy(loadAtEnd, cpus: cpus, when: "at the end", into: &warnings)
        fillF16Ratios(&records, points: recordPoints)
        let context = BenchContext(build: Self.buildKind, cpu: Self.cpuName(), onlineCPUs: cpus,
                                   loadAtStart: loadAtStart, loadAtEnd: loadAtEnd, warnings: warnings)
        return BenchResult(schema: BenchSchema(counterNames: options.counterNames), records: records, context: context)
    }

    // MARK: One test

    private func measure(_ test: BenchTest, session: InferenceSession, gate: PhaseGate, sweep: BenchSweep) throws -> BenchRecord {
        var generator = SplitMix64(seed: options.tokenSeed)
        let vocab = UInt64(session.config.vocabularySize)
        let promptLength = test.kind == .pp ? test.tokens : sweep.generationPromptTokens
        let prompt = (0..<promptLength).map { _ in Int(generator.next() % vocab) }
        gate.target = test.kind == .pp ? .promptProcessing : .generation
        gate.probe.tokens = test.tokens
        // The model's work counts come from the bound shapes; decode runs start after the prompt.
        let workCounts = PhaseWorkCounts(weights: session.weights)
        let phaseStart = test.kind == .pp ? 0 : promptLength

        var speeds: [Double] = []
        var tokens = Int.max
        var breakdown = TimeBreakdown()
        var wall: UInt64 = 0
        var counters: [CounterReading] = []
        var energies: [EnergyReading] = []
        let loadBefore = MachineLoad.oneMinute()
        for repetition in 0..<(options.warmups + options.repetitions) {
            session.reset()
            gate.processed = 0
            var count: Int
            switch test.kind {
            case .pp:
                _ = try session.processPrompt(prompt)
                count = gate.processed
            case .tg:
                var sampler = Sampler(settings: .greedy)
                // N + 1 tokens: the first comes from the prompt's logits, each later one costs a decode run.
                let result = try session.generate(prompt: prompt, maxTokens: test.tokens + 1,
                                                  next: { logits, history in sampler.sample(logits: logits, history: history) })
                count = result.decodeRuns
            }
            guard repetition >= options.warmups else { continue }
            guard let nanoseconds = gate.probe.clock.elapsedNanoseconds, nanoseconds > 0, count > 0 else {
                throw BenchError.nothingTimed(model: session.weights.source.sourceLabel, test: test.name, tokens: count)
            }
            speeds.append(Double(count) / (Double(nanoseconds) * 1e-9))
            tokens = min(tokens, count)
            wall &+= nanoseconds
            let phaseBreakdown = session.breakdown
            for category in TimeBreakdown.Category.allCases { breakdown.add(category, nanoseconds: phaseBreakdown[category]) }
            gate.probe.energy?.work = workCounts.work(test.kind, tokens: count, startPosition: phaseStart, batch: session.batchSize)
            let reading = gate.probe.reading()
            if let c = reading.counters { counters.append(c) }
            if let e = reading.energy { energies.append(e) }
        }
        let summaries = options.counterNames.map { name -> ProbeSummary in
            gate.probe.counters == nil
                ? ProbeSummary(name: name, value: .unknown(counterUnavailableReason ?? "counters were not opened"), unit: nil)
                : ProbeSummary.counter(name, readings: counters)
        }
        let energy = options.energy == nil ? EnergySummary(notRequested: "energy not requested (--energy off)")
            : EnergySummary(readings: energies)
        return BenchRecord(model: "", source: "", format: "", weightBytes: 0, parameters: 0, threads: session.threads,
                           batch: session.batchSize, numa: "", numaNote: nil, test: test,
                           kernelPath: session.kernelPath.rawValue, warmups: options.warmups, tokens: tokens,
                           tokensPerSecond: SampleStatistics(speeds)!, shares: PhaseShares(breakdown: breakdown, wallNanoseconds: wall),
                           vsF16: .unknown("no F16 row"), counters: summaries, energy: energy,
                           loadBefore: loadBefore, loadAfter: MachineLoad.oneMinute())
    }

    // MARK: Probes

    private var counterUnavailableReason: String?

    /// One counter group per thread of the session: the calling thread (worker 0) and the pool's.
    private func openCounters(_ session: InferenceSession) throws -> CounterProbe? {
        guard !options.counterNames.isEmpty else { return nil }
        let threads = [KernelThreadID.current()] + session.workerThreadIDs
        guard threads.allSatisfy({ $0 > 0 }) else {
            counterUnavailableReason = "this OS gives no kernel thread ids for per-thread counters"
            return nil
        }
        let counters = try CounterSession(names: options.counterNames, scope: .threads(threads), resolver: options.resolver,
                                         system: options.perfSystem)
        do {
            return try CounterProbe(session: counters)
        } catch {
            counters.close()
            counterUnavailableReason = "enabling the counter groups failed: \(error)"
            return nil
        }
    }

    // MARK: Context

    /// What each layout means here; layouts the engine cannot apply on a multi-node machine are refused.
    private func numaNotes(_ layouts: [NUMALayout]) throws -> [NUMALayout: String] {
        let nodes = options.numaNodeCount ?? ((try? LibNUMA.nodes().count) ?? 1)
        var notes: [NUMALayout: String] = [:]
        for layout in layouts {
            if nodes <= 1 {
                notes[layout] = layout == .local ? "one NUMA node" : "one NUMA node: equivalent to local"
            } else if layout == .local {
                notes[layout] = "pages placed by first touch of the threads that made or mapped the weights"
            } else {
                throw BenchError.numaLayout("--numa \(layout): this machine has \(nodes) NUMA nodes and the engine places weights only by first touch (local); other layouts are not applied by the bench yet")
            }
        }
        return notes
    }

    private func warnIfBusy(_ load: Double?, cpus: Int, when: String, into warnings: inout [String]) {
        guard let load, load > options.busyLoadPerCPU * Double(cpus) else { return }
        let text = String(format: "the machine is busy %@ (1-minute load average %.2f on %d CPUs): timings are noisy", when, load, cpus)
        warnings.append(text)
        options.log("bitbench: warning: \(text)")
    }

    /// Each record's median over the F16 row's median with the same model, threads, batch, layout and test.
    private func fillF16Ratios(_ records: inout [BenchRecord], points: [BenchPlan.Point]) {
        for i in records.indices {
            let p = points[i]
            let reference = zip(points, records).first { q, r in
                q.format == .f16 && q.modelIndex == p.modelIndex && q.threads == p.threads && q.batch == p.batch
                    && q.numa == p.numa && q.test == p.test && r.tokensPerSecond.median > 0
            }
            if let reference {
                records[i].vsF16 = .known(records[i].tokensPerSecond.median / reference.1.tokensPerSecond.median)
            } else {
                records[i].vsF16 = .unknown("no F16 row with the same model, threads, batch, layout and test in this run (add f16 to -k)")
            }
        }
    }

    private static var buildKind: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    private static func cpuName() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        return CPUInfo.parse(text).modelName
    }
}
