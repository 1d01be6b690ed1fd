import Foundation
import Measurement
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// RAPL through the perf power PMU, on fixture event-source trees with recorded counts.
@Suite("perf power PMU RAPL")
struct PerfPowerTests {
    static let joulesPerCount = 2.3283064365386962890625e-10  // 2^-32 J, the power PMU's scale

    func probe(_ tree: String, perf: RecordedPerfEvents, selection: EnergySelection = .method(.perfRAPL)) -> EnergyProbe {
        let env = EnergyEnvironment(eventSourceRoot: EnergyTestSupport.fixture(tree), powercapRoot: "/nonexistent/powercap",
                                    msrDirectory: "/nonexistent/msr", perf: perf)
        return EnergyProbe(selection: selection, environment: env, samplingInterval: 60)
    }

    @Test("Intel server: energy-pkg/cores/ram opened system-wide on one CPU per socket, exact joules from the sysfs scale")
    func intelTwoSockets() throws {
        let perf = RecordedPerfEvents()
        let p = probe("event-source-intel", perf: perf)
        defer { p.close() }
        // Opened with pid -1 on CPUs 0 and 28 (the PMU's cpumask), type 23 from sysfs.
        let opens = perf.opened.values
        #expect(Set(opens.map(\.key.cpu)) == [0, 28])
        #expect(opens.allSatisfy { $0.pid == -1 && $0.key.type == 23 })
        #expect(Set(opens.map(\.key.config)) == [1, 2, 3])
        p.begin()
        let gib: UInt64 = 1 << 32
        perf.set(type: 23, config: 2, cpu: 0, value: 30 * gib)       // package-0: 30 J
        perf.set(type: 23, config: 1, cpu: 0, value: 20 * gib)       // cores-0: 20 J
        perf.set(type: 23, config: 3, cpu: 0, value: 65536 * 4)      // dram-0: 4 J at 2^-16 J
        perf.set(type: 23, config: 2, cpu: 28, value: 25 * gib)      // package-1: 25 J
        perf.set(type: 23, config: 1, cpu: 28, value: 15 * gib)      // cores-1
        perf.set(type: 23, config: 3, cpu: 28, value: 65536 * 3)     // dram-1: 3 J
        p.end()
        let r = p.reading()
        #expect(r.method == .perfRAPL)
        #expect(r.measured)
        #expect(r[domain: "package-0"]?.joules == 30)
        #expect(r[domain: "cores-0"]?.joules == 20)
        #expect(r[domain: "dram-0"]?.joules == 4)
        #expect(r[domain: "package-1"]?.joules == 25)
        #expect(r[domain: "dram-1"]?.joules == 3)
        #expect(r.joules == 62)
        #expect(r[domain: "package-0"]?.origins == ["power/energy-pkg/ on CPU 0"])
    }

    @Test("this VM's tree: energy-psys opens but never advances, so perf-rapl is unavailable and says why")
    func vmPsysNeverAdvances() throws {
        let perf = RecordedPerfEvents()
        perf.set(type: 9, config: 5, cpu: 0, value: 0)
        let p = probe("event-source-vm", perf: perf, selection: .auto)
        defer { p.close() }
        p.begin()
        MonotonicClock.sleep(seconds: 0.02)
        p.end()
        let r = p.reading()
        #expect(r.method == .none)
        #expect(r.measured == false)
        #expect(r.joules == nil)
        #expect(r.averageWatts == nil)
        let reason = try #require(r.reason)
        #expect(reason.hasPrefix("rapl: unavailable (perf-rapl: no domain gave energy (psys-0: the counter did not advance"))
        #expect(reason.contains("sysfs-rapl: /nonexistent/powercap is absent"))
        #expect(reason.contains("msr-rapl:"))
        // auto's model fallback has no TDP and no work counts: it adds no number either.
        #expect(r.estimate?.joules == nil)
        #expect(reason.contains("model: no term could be computed"))
    }

    @Test("psys alone is reported as the platform total, saying so")
    func psysAdvancing() throws {
        let perf = RecordedPerfEvents()
        let p = probe("event-source-vm", perf: perf)
        defer { p.close() }
        p.begin()
        perf.set(type: 9, config: 5, cpu: 0, value: 7 << 32)
        p.end()
        let r = p.reading()
        #expect(r.method == .perfRAPL)
        #expect(r.joules == 7)
        #expect(r.reason?.contains("psys") == true)
    }

    @Test("power events refused by the kernel (EACCES): unavailable with the paranoid advice")
    func openRefused() throws {
        let perf = RecordedPerfEvents()
        perf.refuse = ["23:1": EACCES, "23:2": EACCES, "23:3": EACCES]
        let p = probe("event-source-intel", perf: perf)
        defer { p.close() }
        p.begin(); p.end()
        let r = p.reading()
        #expect(r.method == .none)
        #expect(r.reason?.contains("EACCES") == true)
        #expect(r.reason?.contains("perf_event_paranoid") == true)
    }

    @Test("no power PMU at all")
    func noPowerPMU() {
        let p = probe("event-source-intel/cpu", perf: RecordedPerfEvents())
        defer { p.close() }
        p.begin(); p.end()
        #expect(p.reading().reason?.contains("no perf 'power' PMU") == true)
    }
}
