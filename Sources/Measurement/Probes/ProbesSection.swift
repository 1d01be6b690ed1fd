/// `bitbench sysinfo`'s probes section: for each probe BitBench can wrap a phase in (the wall
/// clock, each kind of perf counter, the three RAPL methods, the energy model), whether it
/// works on this machine and, when it does not, why. On the live machine each probe is really
/// opened and read; on a recorded tree only what the files show is reported.
public struct ProbesSection: SystemInfoSection {
    public static let key = "probes"
    public static let title = "Probes"

    /// One probe's status.
    public struct Probe: Codable, Equatable, Sendable {
        /// `wall-clock`, `counters/software`, `perf-rapl`, …
        public var name: String
        /// Whether it works here, with what it found, or why not.
        public var status: Availability
        /// The RAPL domains a RAPL method opened or found; nil for other probes.
        public var domains: [String]?

        /// A probe's status.
        public init(name: String, status: Availability, domains: [String]? = nil) {
            self.name = name
            self.status = status
            self.domains = domains
        }
    }

    /// Every probe, in a fixed order.
    public var probes: [Probe]

    /// The representative event of each counter kind, and what it shows.
    static let counterKinds: [(kind: String, event: String, what: String)] = [
        ("counters/software", "task-clock", "PERF_TYPE_SOFTWARE (task-clock, page-faults, context-switches)"),
        ("counters/hardware", "cycles", "PERF_TYPE_HARDWARE generic events (cycles, instructions, branch-misses)"),
        ("counters/hw-cache", "LLC-load-misses", "PERF_TYPE_HW_CACHE events (LLC-load-misses, dTLB-load-misses)"),
        ("counters/raw", "r00c0", "raw PMU codes (r00c0: instructions retired on Intel and AMD)"),
    ]

    public static func collect(_ context: SystemInfoContext) -> ProbesSection {
        var probes: [Probe] = []
        if let resolution = MonotonicClock.resolutionNanoseconds() {
            probes.append(Probe(name: "wall-clock", status: .available("CLOCK_MONOTONIC via clock_gettime, resolution \(resolution) ns")))
        } else {
            probes.append(Probe(name: "wall-clock", status: .unavailable("clock_getres(CLOCK_MONOTONIC) failed")))
        }
        let eventSource = context.paths.eventSource
        probes.append(contentsOf: counterProbes(context, eventSource: eventSource))
        probes.append(libpfmProbe(eventSource: eventSource))
        probes.append(contentsOf: energyProbes(context))
        probes.append(Probe(name: "energy-model", status: .available(
            "\(EnergyModel.label); constants built in (data/energy-model.json, replaceable with --energy-constants); its static term needs a stated TDP (--tdp), and the operations and DRAM terms need the phase's work counts")))
        return ProbesSection(probes: probes)
    }

    /// Opens one event of each kind on the calling thread and reads it around a little work.
    static func counterProbes(_ context: SystemInfoContext, eventSource: EventSourceDirectory) -> [Probe] {
        guard context.isLive else {
            return counterKinds.map { Probe(name: $0.kind, status: .unavailable(SystemInfoContext.recordedTreeReason)) }
        }
        let resolver = EventResolver(eventSource: eventSource)
        return counterKinds.map { kind in
            do {
                let probe = try CounterProbe(session: CounterSession(names: [kind.event], scope: .callingThread, resolver: resolver))
                probe.begin()
                var x = 0
                for i in 0..<100_000 { x &+= i }
                if x == 1 { probe.begin() }
                probe.end()
                probe.session.close()
                guard let event = probe.reading()[kind.event] else {
                    return Probe(name: kind.kind, status: .unavailable("no reading for \(kind.event)"))
                }
                if event.value != nil {
                    return Probe(name: kind.kind, status: .available("\(kind.what); \(kind.event) counted"))
                }
                let code = event.errnoName.map { "\($0): " } ?? ""
                return Probe(name: kind.kind, status: .unavailable("\(kind.event): \(code)\(event.unsupportedReason ?? "no value")"))
            } catch {
                return Probe(name: kind.kind, status: .unavailable("\(kind.event): \(error)"))
            }
        }
    }

    /// libpfm4's view: the PMUs it detects from CPUID, checked against the kernel's.
    static func libpfmProbe(eventSource: EventSourceDirectory) -> Probe {
        let library = PFMLibrary.shared
        if let failure = library.initializationFailure() {
            return Probe(name: "counters/libpfm4", status: .unavailable("pfm_initialize failed: \(failure)"))
        }
        let pmus = library.presentPMUs()
        let core = pmus.filter(\.isCore).map(\.name)
        var detail = "libpfm4 detects \(pmus.map(\.name).joined(separator: ", "))"
        let kernelHasCore = eventSource.pmuNames().contains(where: EventSourceDirectory.isCorePMU)
        if core.isEmpty {
            detail += "; no core PMU for this CPU in its tables, so PMU-specific names (pmu::EVENT) cannot be encoded; generic names, raw rNNNN and pmu/…/ strings still can"
        } else if !kernelHasCore {
            detail += "; it claims \(core.joined(separator: ", ")) from CPUID, but the kernel has no 'cpu' PMU, so those events encode and then fail to open (ENOENT)"
        }
        return Probe(name: "counters/libpfm4", status: .available(detail))
    }

    /// Each RAPL method, as the energy sources detect it (opened and sampled over 100 ms on
    /// the live machine); the only place sysinfo reports RAPL.
    static func energyProbes(_ context: SystemInfoContext) -> [Probe] {
        RAPLMethodStatus.survey(context.paths.energyEnvironment, live: context.isLive).map {
            Probe(name: $0.method.rawValue, status: $0.availability, domains: $0.domains)
        }
    }

    /// True when any RAPL method works here.
    public var raplAvailable: Bool {
        probes.contains { EnergyMethod(rawValue: $0.name)?.isMeasurement == true && $0.status.isAvailable }
    }

    public var textLines: [SystemInfoLine] {
        probes.map { probe in
            let domains = probe.domains.flatMap { $0.isEmpty ? nil : " [domains: \($0.joined(separator: ", "))]" } ?? ""
            return SystemInfoLine(probe.name, probe.status.description + domains)
        }
    }
}
