/// Whether one RAPL method works on a machine, which domains it has, and why not when it does
/// not. Made by the energy sources' own detection (the one path `--energy` also takes), so
/// `bitbench sysinfo` and the energy probe cannot disagree.
public struct RAPLMethodStatus: Codable, Equatable, Sendable {
    /// perf-rapl, sysfs-rapl or msr-rapl.
    public var method: EnergyMethod
    /// Whether it works, with what it found, or why not.
    public var availability: Availability
    /// The domains it opened or found (`package-0`, `dram-1` …); empty when it found none.
    public var domains: [String]

    /// Every RAPL method in the order `--energy auto` tries them. On the live machine
    /// (`live`) each is opened and sampled over `seconds`, and works only if a counter
    /// advanced; on a recorded tree the files are read but no perf event is opened (perf
    /// would reach the running kernel, not the tree).
    public static func survey(_ environment: EnergyEnvironment, live: Bool, seconds: Double = 0.1) -> [RAPLMethodStatus] {
        let methods = EnergyMethod.raplOrder
        guard live else { return methods.map { listed($0, environment) } }
        // A sampling interval longer than the phase: two reads bracket it, nothing in between.
        let probes = methods.map { EnergyProbe(selection: .method($0), environment: environment, samplingInterval: 60) }
        defer { probes.forEach { $0.close() } }
        probes.forEach { $0.begin() }
        MonotonicClock.sleep(seconds: seconds)
        probes.forEach { $0.end() }
        return zip(methods, probes).map { method, probe in
            let domains = probe.openDomains(of: method).map(\.name)
            if let failure = probe.unavailableMethods.first {
                return RAPLMethodStatus(method: method, availability: .unavailable(failure.reason), domains: domains)
            }
            let reading = probe.reading()
            guard reading.measured else {
                let why = reading.attempts.first { $0.method == method }?.reason ?? reading.reason ?? "no counter advanced"
                return RAPLMethodStatus(method: method, availability: .unavailable(why), domains: domains)
            }
            let watts = reading.domains.map { d in d.averageWatts.map { "\(d.name) \(Int($0.rounded())) W" } ?? "\(d.name): \(d.reason ?? "no figure")" }
            return RAPLMethodStatus(method: method, availability: .available("counting over \(seconds) s: \(watts.joined(separator: ", "))"),
                                    domains: domains)
        }
    }

    /// What a recorded tree shows for `method`, without opening perf events.
    static func listed(_ method: EnergyMethod, _ environment: EnergyEnvironment) -> RAPLMethodStatus {
        if method == .perfRAPL {
            switch PerfPowerSource.plan(environment) {
            case .success(let plan):
                return RAPLMethodStatus(method: method, availability: .available(
                    "\(plan.events.map(\.name).joined(separator: ", ")) listed; \(SystemInfoContext.recordedTreeReason)"), domains: plan.domains.map(\.name))
            case .failure(let unavailable):
                return RAPLMethodStatus(method: method, availability: .unavailable(unavailable.reason), domains: [])
            }
        }
        // powercap and MSR detection read files below the tree's roots only.
        switch EnergyProbe.detect(method, in: environment) {
        case .available(let counters, _):
            defer { counters.forEach { $0.close() } }
            let domains = Array(Set(counters.map(\.domain))).sorted().map(\.name)
            return RAPLMethodStatus(method: method, availability: .available("readable: \(counters.map(\.origin).joined(separator: ", "))"),
                                    domains: domains)
        case .unavailable(let reason):
            return RAPLMethodStatus(method: method, availability: .unavailable(reason), domains: [])
        }
    }
}
