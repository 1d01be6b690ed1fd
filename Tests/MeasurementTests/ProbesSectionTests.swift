import Foundation
import Measurement
import Testing

/// `bitbench sysinfo`'s probes section: every probe listed, each saying whether it works here.
@Suite("sysinfo probes section")
struct ProbesSectionTests {
    static let names = ["wall-clock", "counters/software", "counters/hardware", "counters/hw-cache", "counters/raw",
                        "counters/libpfm4", "perf-rapl", "sysfs-rapl", "msr-rapl", "energy-model"]

    @Test("live machine: every probe, opened for real; unavailable ones carry the reason")
    func live() throws {
        let section = ProbesSection.collect(SystemInfoContext(paths: .live))
        #expect(section.probes.map(\.name) == Self.names)
        let status = Dictionary(uniqueKeysWithValues: section.probes.map { ($0.name, $0.status) })
        #expect(status["wall-clock"]?.isAvailable == true)
        #expect(status["counters/software"]?.isAvailable == true)
        #expect(status["energy-model"]?.isAvailable == true)
        for probe in section.probes where !probe.status.isAvailable {
            #expect(!(probe.status.reason ?? "").isEmpty, "\(probe.name)")
        }
        let hasCorePMU = EventSourceDirectory().pmuNames().contains { ["cpu", "cpu_core", "cpu_atom"].contains($0) }
        if !hasCorePMU {
            #expect(status["counters/hardware"]?.reason?.contains("ENOENT: no such PMU") == true)
            #expect(status["counters/raw"]?.isAvailable == false)
        }
        // The section is one JSON object in sysinfo's output.
        let json = try SystemInfo(sections: [section]).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((object["probes"] as? [String: Any])?["probes"] != nil)
        #expect(SystemInfo(sections: [section]).text().contains("Probes\n  wall-clock"))
    }

    @Test("recorded tree: counters are not queried, RAPL methods report what the files show")
    func recorded() throws {
        let section = ProbesSection.collect(SystemInfoContext(paths: TopologyFixture.xeon.paths))
        let status = Dictionary(uniqueKeysWithValues: section.probes.map { ($0.name, $0.status) })
        #expect(status["counters/hardware"]?.reason == SystemInfoContext.recordedTreeReason)
        #expect(status["sysfs-rapl"]?.isAvailable == true)
        #expect(status["msr-rapl"]?.isAvailable == false)
        // Only RAPL methods carry domains; they come from the energy sources' own detection.
        let domains = Dictionary(uniqueKeysWithValues: section.probes.map { ($0.name, $0.domains) })
        #expect(domains["sysfs-rapl"] == ["package-0", "dram-0", "package-1", "dram-1"])
        #expect(domains["msr-rapl"] == [])
        #expect(domains["wall-clock"] == .some(nil))
        #expect(SystemInfo(sections: [section]).text().contains("sysfs-rapl:"))
    }
}
