import CPerfEvent
#if canImport(Glibc)
import Glibc
#endif

/// RAPL through the perf `power` PMU: each `energy-*` event opened system-wide (pid -1) on one
/// CPU per socket (the PMU's cpumask), scaled by its sysfs `.scale` (ENERGY-COUNTERS.md).
public enum PerfPowerSource {
    /// The power PMU's energy events as the files describe them, before anything is opened.
    struct Plan {
        /// One energy event: its domain kind, encoding and scale (J per count).
        var events: [(name: String, kind: RAPLDomain.Kind, encoding: PerfEventEncoding, joulesPerCount: Double)]
        /// The PMU's cpumask: one CPU per socket, in socket order.
        var cpus: [Int]
        /// Events skipped, and why.
        var notes: [String]

        /// The domains opening the plan would give, socket by socket.
        var domains: [RAPLDomain] {
            cpus.indices.flatMap { socket in events.map { RAPLDomain(kind: $0.kind, socket: socket) } }.sorted()
        }
    }

    /// Reads the power PMU's energy events from the event-source directory; opens nothing, so
    /// it also describes a recorded tree. Returns the plan, or why there is nothing to open.
    static func plan(_ env: EnergyEnvironment) -> Result<Plan, EnergySourceUnavailable> {
        let pmu: KernelPMU
        do {
            pmu = try env.eventSource.pmu("power")
        } catch let error as SystemError where error.errno == ENOENT {
            return .failure(EnergySourceUnavailable("no perf 'power' PMU (\(env.eventSource.path(ofPMU: "power")) is absent: kernel without RAPL perf support, or a VM that hides RAPL)"))
        } catch {
            return .failure(EnergySourceUnavailable("cannot read the perf 'power' PMU: \(error)"))
        }
        var plan = Plan(events: [], cpus: pmu.cpumask ?? [0], notes: [])
        for name in pmu.events.keys.sorted() where name.hasPrefix("energy-") {
            let event = pmu.events[name]!
            guard let kind = RAPLDomain.Kind(kernelName: name) else {
                plan.notes.append("\(name): not a RAPL domain BitBench knows; skipped")
                continue
            }
            guard event.unit == "Joules", let scale = event.scale, scale > 0 else {
                plan.notes.append("\(name): unit '\(event.unit ?? "missing")', scale '\(event.scale.map { "\($0)" } ?? "missing")'; expected Joules and a positive scale; skipped")
                continue
            }
            let config: UInt64
            do {
                config = try pmu.encode(terms: event.terms).config
            } catch {
                plan.notes.append("\(name): \(error); skipped")
                continue
            }
            plan.events.append((name, kind, PerfEventEncoding(type: pmu.type, config: config, excludeKernel: false,
                                                              excludeHypervisor: false, source: .sysfsFormat,
                                                              detail: "power/\(name)/", pmu: "power", scale: scale, unit: "Joules"), scale))
        }
        if plan.events.isEmpty {
            let detail = plan.notes.isEmpty ? "the power PMU lists no energy-* events" : plan.notes.joined(separator: "; ")
            return .failure(EnergySourceUnavailable("perf power PMU: no energy event could be opened (\(detail))"))
        }
        return .success(plan)
    }

    /// Finds and opens the power PMU's energy events.
    public static func detect(_ env: EnergyEnvironment) -> EnergySourceDetection {
        let plan: Plan
        switch self.plan(env) {
        case .success(let found): plan = found
        case .failure(let unavailable): return .unavailable(unavailable.reason)
        }
        var counters: [any EnergyCounter] = []
        var notes = plan.notes
        for event in plan.events {
            for (socket, cpu) in plan.cpus.enumerated() {
                do {
                    let fd = try env.perf.open(event.encoding, options: PerfOpenOptions(readFormat: 0, disabled: false, inherit: false, enableOnExec: false),
                                               pid: -1, cpu: Int32(cpu), groupFD: -1)
                    counters.append(PerfPowerCounter(domain: RAPLDomain(kind: event.kind, socket: socket), fd: fd,
                                                     joulesPerCount: event.joulesPerCount, perf: env.perf,
                                                     origin: "power/\(event.name)/ on CPU \(cpu)"))
                } catch let error as SystemError {
                    let failure = PerfOpenFailure.explain(error, encoding: event.encoding, eventSource: env.eventSource)
                    notes.append("\(event.name) on CPU \(cpu): \(failure)")
                } catch {
                    notes.append("\(event.name) on CPU \(cpu): \(error)")
                }
            }
        }
        if counters.isEmpty {
            return .unavailable("perf power PMU: no energy event could be opened (\(notes.joined(separator: "; ")))")
        }
        return .available(counters, notes: notes)
    }
}

/// One `power/energy-*` event on one CPU: a 64-bit count the kernel keeps from the 32-bit MSR.
final class PerfPowerCounter: EnergyCounter, @unchecked Sendable {
    let domain: RAPLDomain
    let joulesPerCount: Double
    let wrapModulus: UInt64? = nil
    let origin: String
    private var fd: Int32
    private let perf: any PerfEventSystem

    init(domain: RAPLDomain, fd: Int32, joulesPerCount: Double, perf: any PerfEventSystem, origin: String) {
        self.domain = domain
        self.fd = fd
        self.joulesPerCount = joulesPerCount
        self.perf = perf
        self.origin = origin
    }

    func readCount() throws -> UInt64 {
        var value: UInt64 = 0
        let n = try withUnsafeMutableBytes(of: &value) { try perf.read(fd, into: $0) }
        guard n == 8 else { throw SystemError("read", path: origin, errno: EIO) }
        return value
    }

    func close() {
        if fd >= 0 { perf.close(fd) }
        fd = -1
    }

    deinit { close() }
}
