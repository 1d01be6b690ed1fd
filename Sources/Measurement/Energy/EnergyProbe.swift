/// RAPL energy as a probe. At creation it finds the requested methods (for `auto`: perf-rapl,
/// sysfs-rapl, msr-rapl, all that open) and starts one background sampler so wraps are seen in
/// long runs. `begin()`/`end()` sample every counter; `reading()` reports the first method whose
/// counters advanced, per domain, with net figures when an idle baseline was measured. When no
/// RAPL method works, `auto` falls back to the energy model, labelled as an estimate.
public final class EnergyProbe: Probe {
    final class Source {
        let method: EnergyMethod
        let tracker: EnergyCounterTracker
        let notes: [String]
        var start: EnergyCounterTracker.Snapshot?
        var stop: EnergyCounterTracker.Snapshot?
        var idleWatts: [RAPLDomain: Known<Double>]?

        init(method: EnergyMethod, tracker: EnergyCounterTracker, notes: [String]) {
            self.method = method
            self.tracker = tracker
            self.notes = notes
        }
    }

    /// What was asked for.
    public let selection: EnergySelection
    /// The model used for `--energy model` and as `auto`'s fallback.
    public var model: EnergyModel
    /// Tokens processed in the phase, for J/token.
    public var tokens: Int?
    /// The phase's work counts, for the model; nil when unknown.
    public var work: WorkCounts?
    /// Why the work is unknown when `work` is nil (said in the model's output).
    public var unknownWorkReason = "the phase's work counts (operations by type, DRAM bytes) are unknown"

    private var sources: [Source] = []
    private var attempts: [EnergyReading.Attempt] = []
    private var sampler: EnergySampler?
    private var startNanoseconds: UInt64 = 0
    private var stopNanoseconds: UInt64 = 0
    private var state = 0  // 0 idle, 1 begun, 2 ended
    private var idleSeconds: Double?

    /// Finds the methods for `selection` under `environment` and starts sampling.
    /// `samplingInterval` overrides the wrap-safe period the counters imply.
    public init(selection: EnergySelection, environment: EnergyEnvironment = EnergyEnvironment(),
                model: EnergyModel = EnergyModel(), samplingInterval: Double? = nil) {
        self.selection = selection
        self.model = model
        let methods: [EnergyMethod]
        switch selection {
        case .auto: methods = EnergyMethod.raplOrder
        case .method(let m): methods = m.isMeasurement ? [m] : []
        }
        for method in methods {
            switch Self.detect(method, in: environment) {
            case .available(let counters, let notes):
                sources.append(Source(method: method, tracker: EnergyCounterTracker(counters: counters), notes: notes))
            case .unavailable(let reason):
                attempts.append(.init(method: method, reason: reason))
            }
        }
        if !sources.isEmpty {
            let interval = samplingInterval ?? sources.map(\.tracker.safeSamplingInterval).min() ?? 1
            sampler = EnergySampler(trackers: sources.map(\.tracker), interval: interval)
            sampler?.start()
        }
    }

    deinit { close() }

    /// Finds and opens one RAPL method's counters: the one detection path for probes and sysinfo.
    static func detect(_ method: EnergyMethod, in environment: EnergyEnvironment) -> EnergySourceDetection {
        switch method {
        case .perfRAPL: return PerfPowerSource.detect(environment)
        case .sysfsRAPL: return PowercapSource.detect(environment)
        case .msrRAPL: return MSRRAPLSource.detect(environment)
        case .model, .none: return .unavailable("\(method.rawValue) is not a RAPL method")
        }
    }

    /// The RAPL methods that opened, in the order they are preferred.
    public var openMethods: [EnergyMethod] { sources.map(\.method) }

    /// The domains each open method counts.
    public func openDomains(of method: EnergyMethod) -> [RAPLDomain] {
        Array(Set(sources.filter { $0.method == method }.flatMap { $0.tracker.counters.map(\.domain) })).sorted()
    }

    /// The methods that could not be opened, and why.
    public var unavailableMethods: [EnergyReading.Attempt] { attempts }

    /// Stops the sampler and closes the counters.
    public func close() {
        sampler?.stop()
        sampler = nil
        for source in sources { source.tracker.close() }
    }

    // The phase's clock reads the midpoint of each sampling, where the counters were read.
    public func begin() {
        let before = MonotonicClock.nanoseconds()
        for source in sources { source.start = source.tracker.sample() }
        startNanoseconds = before + (MonotonicClock.nanoseconds() - before) / 2
        state = 1
    }

    public func end() {
        let before = MonotonicClock.nanoseconds()
        for source in sources { source.stop = source.tracker.sample() }
        stopNanoseconds = before + (MonotonicClock.nanoseconds() - before) / 2
        if state == 1 { state = 2 }
    }

    /// Measures the machine idle for `seconds` (the caller keeps it idle) and keeps each
    /// domain's idle power, which later readings subtract for net figures.
    public func measureIdleBaseline(seconds: Double) {
        let starts = sources.map { $0.tracker.sample() }
        MonotonicClock.sleep(seconds: seconds)
        var longest = 0.0
        for (source, start) in zip(sources, starts) {
            let stop = source.tracker.sample()
            // Each method's own read times bracket its counts.
            let elapsed = Double(stop.nanoseconds - start.nanoseconds) * 1e-9
            longest = max(longest, elapsed)
            var watts: [RAPLDomain: Known<Double>] = [:]
            for (domain, figure) in domainJoules(source, start, stop, seconds: elapsed) {
                switch figure {
                case .known(let joules): watts[domain] = .known(joules / elapsed)
                case .unknown(let reason): watts[domain] = .unknown(reason)
                }
            }
            source.idleWatts = watts
        }
        idleSeconds = sources.isEmpty ? seconds : longest
    }

    /// Joules per domain between two snapshots, or why not.
    private func domainJoules(_ source: Source, _ start: EnergyCounterTracker.Snapshot,
                              _ stop: EnergyCounterTracker.Snapshot, seconds: Double) -> [(RAPLDomain, Known<Double>)] {
        var byDomain: [RAPLDomain: [Int]] = [:]
        for (i, counter) in source.tracker.counters.enumerated() { byDomain[counter.domain, default: []].append(i) }
        return byDomain.keys.sorted().map { domain in
            let indices = byDomain[domain]!
            if let error = indices.compactMap({ stop.errors[$0] }).first {
                return (domain, .unknown("read failed: \(error)"))
            }
            var counts: UInt64 = 0
            var joules = 0.0
            for i in indices {
                let delta = stop.totals[i] &- start.totals[i]
                counts &+= delta
                joules += Double(delta) * source.tracker.counters[i].joulesPerCount
            }
            if counts == 0 {
                let shown = (seconds * 1000).rounded() / 1000
                if seconds < 0.002 {
                    return (domain, .unknown("the counter did not advance during the \(shown) s phase, shorter than RAPL's update interval (about 1 ms)"))
                }
                return (domain, .unknown("the counter did not advance during the \(shown) s phase: it reads a constant, so the RAPL interface is exposed but not fed (as in VMs without energy passthrough)"))
            }
            return (domain, .known(joules))
        }
    }

    public func reading() -> EnergyReading {
        var result = EnergyReading(method: .none, requested: selection.description, measured: false, seconds: nil,
                                   joules: nil, netJoules: nil, averageWatts: nil, joulesPerToken: nil,
                                   netJoulesPerToken: nil, reason: nil, domains: [], idleBaseline: nil,
                                   attempts: attempts, notes: [], estimate: nil)
        if case .method(.none) = selection {
            result.reason = "energy not measured (--energy none)"
            return result
        }
        guard state == 2 else {
            result.reason = "the energy probe was not started and stopped"
            return result
        }
        let seconds = Double(stopNanoseconds &- startNanoseconds) * 1e-9
        result.seconds = seconds
        for source in sources {
            guard let start = source.start, let stop = source.stop else { continue }
            // The method's own read times bracket its counts.
            let sourceSeconds = Double(stop.nanoseconds &- start.nanoseconds) * 1e-9
            let figures = domainJoules(source, start, stop, seconds: sourceSeconds)
            if figures.contains(where: { $0.1.value != nil }) {
                result.seconds = sourceSeconds
                fillMeasured(&result, source: source, figures: figures, seconds: sourceSeconds)
                return result
            }
            let why = figures.map { "\($0.0.name): \($0.1.reason ?? "")" }.joined(separator: "; ")
            result.attempts.append(.init(method: source.method, reason: "no domain gave energy (\(why))"))
        }
        let order = EnergyMethod.raplOrder
        result.attempts.sort { (order.firstIndex(of: $0.method) ?? 9) < (order.firstIndex(of: $1.method) ?? 9) }
        let raplReason = result.attempts.isEmpty ? nil
            : "rapl: unavailable (" + result.attempts.map { "\($0.method.rawValue): \($0.reason)" }.joined(separator: "; ") + ")"
        switch selection {
        case .auto, .method(.model):
            let estimate = model.estimate(seconds: seconds, work: work, unknownWorkReason: unknownWorkReason)
            result.estimate = estimate
            let explicit = selection == .method(.model)
            if estimate.joules != nil || explicit {
                result.method = .model
                result.joules = estimate.joules
                if let joules = estimate.joules {
                    result.averageWatts = seconds > 0 ? joules / seconds : nil
                    if let tokens, tokens > 0 { result.joulesPerToken = joules / Double(tokens) }
                }
                let workNote = work?.method.map { "; work counts: \($0)" } ?? ""
                let modelNote = estimate.joules == nil
                    ? "model: \(estimate.reason ?? "no estimate")\(workNote)"
                    : "\(EnergyModel.label)\(estimate.reason.map { "; \($0)" } ?? "")\(workNote)"
                result.reason = [raplReason, modelNote].compactMap { $0 }.joined(separator: "; ")
            } else {
                result.reason = [raplReason, "model: \(estimate.reason ?? "no estimate")"].compactMap { $0 }.joined(separator: "; ")
            }
        default:
            result.reason = raplReason ?? "no RAPL method was requested"
        }
        return result
    }

    private func fillMeasured(_ result: inout EnergyReading, source: Source,
                              figures: [(RAPLDomain, Known<Double>)], seconds: Double) {
        result.method = source.method
        result.measured = true
        result.notes = source.notes
        var originsByDomain: [RAPLDomain: [String]] = [:]
        var wrapsByDomain: [RAPLDomain: Int] = [:]
        for (i, counter) in source.tracker.counters.enumerated() {
            originsByDomain[counter.domain, default: []].append(counter.origin)
            wrapsByDomain[counter.domain, default: 0] += source.stop!.wraps[i] - source.start!.wraps[i]
        }
        var domains: [EnergyReading.Domain] = []
        for (domain, figure) in figures {
            var d = EnergyReading.Domain(name: domain.name, kind: domain.kind, socket: domain.socket,
                                         joules: figure.value, averageWatts: nil, idleWatts: nil, netJoules: nil,
                                         wraps: wrapsByDomain[domain] ?? 0, origins: originsByDomain[domain] ?? [],
                                         reason: figure.reason)
            if let joules = figure.value, seconds > 0 { d.averageWatts = joules / seconds }
            if let idle = source.idleWatts {
                switch idle[domain] {
                case .known(let watts)?:
                    d.idleWatts = watts
                    d.netJoules = figure.value.map { $0 - watts * seconds }
                case .unknown(let why)?:
                    d.reason = [d.reason, "no idle baseline: \(why)"].compactMap { $0 }.joined(separator: "; ")
                case nil:
                    d.reason = [d.reason, "no idle baseline for this domain"].compactMap { $0 }.joined(separator: "; ")
                }
            }
            domains.append(d)
        }
        result.domains = domains
        if let idle = source.idleWatts, let idleSeconds {
            var watts: [String: Double] = [:]
            var problems: [String] = []
            for (domain, value) in idle {
                switch value {
                case .known(let w): watts[domain.name] = w
                case .unknown(let why): problems.append("\(domain.name): \(why)")
                }
            }
            result.idleBaseline = .init(seconds: idleSeconds, watts: watts, problems: problems.sorted())
        }
        // Cores and uncore lie inside the package; psys contains package and DRAM.
        let packages = domains.filter { $0.kind == .package }
        let parts = packages.isEmpty ? domains.filter { $0.kind == .psys } : packages + domains.filter { $0.kind == .dram }
        if parts.isEmpty {
            result.reason = "no package, DRAM or psys domain to total (cores and uncore alone do not cover the CPU)"
        } else if let missing = parts.first(where: { $0.joules == nil }) {
            result.reason = "total needs \(missing.name): \(missing.reason ?? "unavailable")"
        } else {
            let joules = parts.reduce(0) { $0 + $1.joules! }
            result.joules = joules
            result.averageWatts = seconds > 0 ? joules / seconds : nil
            result.reason = packages.isEmpty ? "total is the psys (platform) domain: the method exposes no package domain" : nil
            if let tokens, tokens > 0 { result.joulesPerToken = joules / Double(tokens) }
            if source.idleWatts != nil {
                if parts.allSatisfy({ $0.netJoules != nil }) {
                    let net = parts.reduce(0) { $0 + $1.netJoules! }
                    result.netJoules = net
                    if let tokens, tokens > 0 { result.netJoulesPerToken = net / Double(tokens) }
                } else {
                    let why = parts.first { $0.netJoules == nil }?.reason ?? "no idle figure"
                    result.reason = [result.reason, "no net figure: \(why)"].compactMap { $0 }.joined(separator: "; ")
                }
            }
        }
    }
}
