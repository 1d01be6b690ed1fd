import CPerfEvent
#if canImport(Glibc)
import Glibc
#endif

/// RAPL through the perf `power` PMU: each `energy-*` event opened system-wide (pid -1) on one
/// CPU per socket (the PMU's cpumask), scaled by its sysfs `.scale` (ENERGY-COUNTERS.md).
public enum PerfPowerSource {
    /// Finds and opens the power PMU's energy events.
    public static func detect(_ env: EnergyEnvironment) -> EnergySourceDetection {
        let pmu: KernelPMU
        do {
            pmu = try env.eventSource.pmu("power")
        } catch let error as SystemError where error.errno == ENOENT {
            return .unavailable("no perf 'power' PMU (\(env.eventSource.path(ofPMU: "power")) is absent: kernel without RAPL perf support, or a VM that hides RAPL)")
        } catch {
            return .unavailable("cannot read the perf 'power' PMU: \(error)")
        }
        let cpus = pmu.cpumask ?? [0]
        var counters: [any EnergyCounter] = []
        var notes: [String] = []
        for name in pmu.events.keys.sorted() where name.hasPrefix("energy-") {
            let event = pmu.events[name]!
            guard let kind = RAPLDomain.Kind(kernelName: name) else {
                notes.append("\(name): not a RAPL domain BitBench knows; skipped")
                continue
            }
            guard event.unit == "Joules", let scale = event.scale, scale > 0 else {
                notes.append("\(name): unit '\(event.unit ?? "missing")', scale '\(event.scale.map { "\($0)" } ?? "missing")'; expected Joules and a positive scale; skipped")
                continue
            }
            let config: UInt64
            do {
                config = try pmu.encode(terms: event.terms).config
            } catch {
                notes.append("\(name): \(error); skipped")
                continue
            }
            let encoding = PerfEventEncoding(type: pmu.type, config: config, excludeKernel: false,
                                             excludeHypervisor: false, source: .sysfsFormat,
                                             detail: "power/\(name)/", pmu: "power", scale: scale, unit: "Joules")
            for (socket, cpu) in cpus.enumerated() {
                do {
                    let fd = try env.perf.open(encoding, options: PerfOpenOptions(readFormat: 0, disabled: false, inherit: false, enableOnExec: false),
                                               pid: -1, cpu: Int32(cpu), groupFD: -1)
                    counters.append(PerfPowerCounter(domain: RAPLDomain(kind: kind, socket: socket), fd: fd,
                                                     joulesPerCount: scale, perf: env.perf, origin: "power/\(name)/ on CPU \(cpu)"))
                } catch let error as SystemError {
                    let failure = PerfOpenFailure.explain(error, encoding: encoding, eventSource: env.eventSource)
                    notes.append("\(name) on CPU \(cpu): \(failure)")
                } catch {
                    notes.append("\(name) on CPU \(cpu): \(error)")
                }
            }
        }
        if counters.isEmpty {
            let detail = notes.isEmpty ? "the power PMU lists no energy-* events" : notes.joined(separator: "; ")
            return .unavailable("perf power PMU: no energy event could be opened (\(detail))")
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
