import Foundation
import Measurement
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// RAPL through powercap sysfs, on fixture trees: exact joules, wraps, and the reasons.
@Suite("powercap sysfs RAPL")
struct PowercapTests {
    /// A sysfs-rapl probe on `root`; the sampler stays out of the way (60 s period).
    func probe(_ root: String, files: any FileAccess = SystemFileAccess()) -> EnergyProbe {
        EnergyProbe(selection: .method(.sysfsRAPL),
                    environment: EnergyEnvironment(powercapRoot: root, files: files), samplingInterval: 60)
    }

    @Test("Intel server: every package, core and dram zone, exact joules, total = packages + DRAM")
    func intelPackageCoreDRAM() throws {
        let root = try EnergyTestSupport.copyFixture("powercap-intel")
        let p = probe(root)
        defer { p.close() }
        p.begin()
        // Advance each zone by a known amount (µJ).
        let advances: [(String, Int)] = [
            ("intel-rapl:0", 12_500_000), ("intel-rapl:0/intel-rapl:0:0", 7_000_000), ("intel-rapl:0/intel-rapl:0:1", 2_000_000),
            ("intel-rapl:1", 10_000_000), ("intel-rapl:1/intel-rapl:1:0", 6_000_000), ("intel-rapl:1/intel-rapl:1:1", 1_500_000),
        ]
        for (zone, delta) in advances {
            let path = "\(root)/\(zone)/energy_uj"
            let start = Int(try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
            try EnergyTestSupport.write("\(start + delta)", to: path)
        }
        p.tokens = 50
        p.end()
        let r = p.reading()
        #expect(r.method == .sysfsRAPL)
        #expect(r.measured)
        #expect(r.domains.map(\.name) == ["package-0", "cores-0", "dram-0", "package-1", "cores-1", "dram-1"])
        #expect(r[domain: "package-0"]?.joules == 12.5)
        #expect(r[domain: "cores-0"]?.joules == 7.0)
        #expect(r[domain: "dram-0"]?.joules == 2.0)
        #expect(r[domain: "package-1"]?.joules == 10.0)
        #expect(r[domain: "cores-1"]?.joules == 6.0)
        #expect(r[domain: "dram-1"]?.joules == 1.5)
        // Cores lie inside the package, so the total is packages + DRAM only.
        #expect(r.joules == 26.0)
        #expect(r.joulesPerToken == 26.0 / 50)
        let seconds = try #require(r.seconds)
        #expect(abs((r.averageWatts ?? 0) - 26.0 / seconds) < 1e-9)
        #expect(r.reason == nil)
    }

    @Test("AMD Zen 3: package only")
    func amdPackageOnly() throws {
        let root = try EnergyTestSupport.copyFixture("powercap-amd")
        let p = probe(root)
        defer { p.close() }
        p.begin()
        try EnergyTestSupport.write("\(7_000_000 + 3_250_000)", to: "\(root)/intel-rapl:0/energy_uj")
        p.end()
        let r = p.reading()
        #expect(r.method == .sysfsRAPL)
        #expect(r.domains.map(\.name) == ["package-0"])
        #expect(r.joules == 3.25)
    }

    @Test("a wrap during the run: delta = e1 + max_energy_range_uj - e0")
    func wrapDuringRun() throws {
        let root = try EnergyTestSupport.copyFixture("powercap-amd")
        let range: UInt64 = 65_532_610_987
        try EnergyTestSupport.write("\(range - 1_000_000)", to: "\(root)/intel-rapl:0/energy_uj")
        let p = probe(root)
        defer { p.close() }
        p.begin()
        try EnergyTestSupport.write("4000000", to: "\(root)/intel-rapl:0/energy_uj")
        p.end()
        let r = p.reading()
        #expect(r.joules == 5.0)
        #expect(r[domain: "package-0"]?.wraps == 1)
    }

    @Test("energy_uj unreadable with EACCES: unavailable, saying how to grant access")
    func permissionDenied() throws {
        let root = try EnergyTestSupport.copyFixture("powercap-amd")
        let files = DenyingFileAccess(denied: ["\(root)/intel-rapl:0/energy_uj": EACCES])
        let p = probe(root, files: files)
        defer { p.close() }
        p.begin()
        p.end()
        let r = p.reading()
        #expect(r.method == .none)
        #expect(r.joules == nil)
        let reason = try #require(r.reason)
        #expect(reason.contains("sysfs-rapl: permission denied (EACCES)"))
        #expect(reason.contains("CVE-2020-8694"))
        #expect(reason.contains("chmod o+r"))
    }

    @Test("energy_uj that is not a readable file (a directory): the real EISDIR error path")
    func unreadableAsDirectory() throws {
        let root = try EnergyTestSupport.copyFixture("powercap-amd")
        let path = "\(root)/intel-rapl:0/energy_uj"
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let p = probe(root)
        defer { p.close() }
        p.begin(); p.end()
        let r = p.reading()
        #expect(r.joules == nil)
        #expect(r.reason?.contains("EISDIR") == true)
    }

    @Test("one subzone denied: the others still measure and the note says why")
    func oneZoneDenied() throws {
        let root = try EnergyTestSupport.copyFixture("powercap-intel")
        let denied = "\(root)/intel-rapl:0:1/energy_uj"
        let p = probe(root, files: DenyingFileAccess(denied: [denied: EACCES]))
        defer { p.close() }
        p.begin()
        try EnergyTestSupport.write("\(100_000_000 + 1_000_000)", to: "\(root)/intel-rapl:0/energy_uj")
        try EnergyTestSupport.write("\(300_000_000 + 1_000_000)", to: "\(root)/intel-rapl:1/energy_uj")
        try EnergyTestSupport.write("\(40_000_000 + 500_000)", to: "\(root)/intel-rapl:1/intel-rapl:1:1/energy_uj")
        p.end()
        let r = p.reading()
        #expect(r.method == .sysfsRAPL)
        #expect(r[domain: "dram-0"] == nil)
        #expect(r.notes.contains { $0.contains("EACCES") && $0.contains("intel-rapl:0:1") })
        // Cores did not advance here: that domain says so, and the total (packages + dram-1) stands.
        #expect(r[domain: "cores-0"]?.joules == nil)
        #expect(r[domain: "cores-0"]?.reason?.contains("did not advance") == true)
        #expect(r.joules == 2.5)
    }

    @Test("no powercap tree: unavailable with the reason")
    func absentRoot() {
        let p = probe("/nonexistent/powercap")
        defer { p.close() }
        p.begin(); p.end()
        let r = p.reading()
        #expect(r.method == .none)
        #expect(r.joules == nil)
        #expect(r.reason?.hasPrefix("rapl: unavailable (sysfs-rapl: /nonexistent/powercap is absent") == true)
    }
}
