import Foundation
import Measurement
import TestSupport
import Testing

/// RAPL through the MSRs: Intel on sparse files read with pread at the MSR address (its registers
/// are 8 bytes apart or more), AMD on in-memory registers (0xC001029A and 0xC001029B are adjacent).
@Suite("MSR RAPL")
struct RAPLMSRTests {
    /// A temp tree: <dir>/msr/<cpu>/msr and <dir>/cpu/cpu<N>/topology/{physical_package_id,core_id}.
    func makeTree(cpus: [(cpu: Int, package: Int, core: Int)]) throws -> (msr: String, sysfs: String) {
        let dir = try Fixtures.temporaryDirectory("bitbench-msr").path
        for c in cpus {
            try FileManager.default.createDirectory(atPath: "\(dir)/msr/\(c.cpu)", withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: "\(dir)/msr/\(c.cpu)/msr", contents: nil)
            let topology = "\(dir)/cpu/cpu\(c.cpu)/topology"
            try FileManager.default.createDirectory(atPath: topology, withIntermediateDirectories: true)
            try EnergyTestSupport.write("\(c.package)", to: "\(topology)/physical_package_id")
            try EnergyTestSupport.write("\(c.core)", to: "\(topology)/core_id")
        }
        return ("\(dir)/msr", "\(dir)/cpu")
    }

    func probe(msr: String, sysfs: String, cpuinfo: String, access: any MSRAccess = SystemMSRAccess()) -> EnergyProbe {
        let env = EnergyEnvironment(eventSourceRoot: "/nonexistent/es", powercapRoot: "/nonexistent/pc", msrDirectory: msr,
                                    cpuSysfsRoot: sysfs, cpuinfoPath: EnergyTestSupport.fixture(cpuinfo), msr: access)
        return EnergyProbe(selection: .method(.msrRAPL), environment: env, samplingInterval: 60)
    }

    @Test("Intel (Sapphire Rapids): unit from 0x606, package 0x611, PP0 0x639, DRAM 0x619 at 2^-16 J, with a 32-bit wrap")
    func intel() throws {
        let tree = try makeTree(cpus: [(0, 0, 0), (1, 0, 1)])
        let dev = "\(tree.msr)/0/msr"
        // ESU = 14 (bits 12:8): 2^-14 J per count; power and time units in the other bits.
        try EnergyTestSupport.writeMSR(0x000A_0E03, address: 0x606, file: dev)
        try EnergyTestSupport.writeMSR(0xFFFF_F000, address: 0x611, file: dev)  // near the 32-bit top
        try EnergyTestSupport.writeMSR(100, address: 0x639, file: dev)
        try EnergyTestSupport.writeMSR(0x1_0000_0000 | 500, address: 0x619, file: dev)  // high bits are reserved
        let p = probe(msr: tree.msr, sysfs: tree.sysfs, cpuinfo: "cpuinfo-intel-spr")
        defer { p.close() }
        #expect(p.openMethods == [.msrRAPL])
        p.begin()
        try EnergyTestSupport.writeMSR(0x0000_3000, address: 0x611, file: dev)  // wrapped: +0x4000 counts = 1 J
        try EnergyTestSupport.writeMSR(100 + 8192, address: 0x639, file: dev)   // 0.5 J
        try EnergyTestSupport.writeMSR(500 + 65536 * 2, address: 0x619, file: dev)  // 2 J at 2^-16 J
        p.end()
        let r = p.reading()
        #expect(r.method == .msrRAPL)
        #expect(r[domain: "package-0"]?.joules == 1.0)
        #expect(r[domain: "package-0"]?.wraps == 1)
        #expect(r[domain: "cores-0"]?.joules == 0.5)
        #expect(r[domain: "dram-0"]?.joules == 2.0)
        #expect(r.joules == 3.0)
    }

    @Test("AMD Zen 3: unit 0xC0010299, package 0xC001029B, per-core 0xC001029A summed over cores")
    func amd() throws {
        // CPUs 0 and 1 are SMT siblings of core 0; CPU 2 is core 1.
        let tree = try makeTree(cpus: [(0, 0, 0), (1, 0, 0), (2, 0, 1)])
        let msrs = RecordedMSRs()
        for cpu in 0..<3 {
            let dev = "\(tree.msr)/\(cpu)/msr"
            msrs.set(dev, 0xC001_0299, 0x000A_1003)  // ESU 16: 2^-16 J per count
            msrs.set(dev, 0xC001_029B, 1000)
            msrs.set(dev, 0xC001_029A, 10)
        }
        let p = probe(msr: tree.msr, sysfs: tree.sysfs, cpuinfo: "cpuinfo-amd-zen3", access: msrs)
        defer { p.close() }
        p.begin()
        msrs.set("\(tree.msr)/0/msr", 0xC001_029B, 1000 + 65536 * 3)  // 3 J
        msrs.set("\(tree.msr)/0/msr", 0xC001_029A, 10 + 65536)        // core 0: 1 J
        msrs.set("\(tree.msr)/2/msr", 0xC001_029A, 10 + 32768)        // core 1: 0.5 J
        msrs.set("\(tree.msr)/1/msr", 0xC001_029A, 10 + 999_999)      // SMT sibling of core 0: not read
        p.end()
        let r = p.reading()
        #expect(r.method == .msrRAPL)
        #expect(r[domain: "package-0"]?.joules == 3.0)
        #expect(r[domain: "cores-0"]?.joules == 1.5)
        #expect(r[domain: "cores-0"]?.origins.count == 2)
        #expect(r[domain: "dram-0"] == nil)
        #expect(r.joules == 3.0)
    }

    @Test("no msr devices: unavailable, saying to load the module")
    func noDevices() throws {
        let p = probe(msr: "/nonexistent/msr", sysfs: "/nonexistent/cpu", cpuinfo: "cpuinfo-intel-spr")
        defer { p.close() }
        p.begin(); p.end()
        #expect(p.reading().reason?.contains("modprobe msr") == true)
    }

    @Test("unit MSR not implemented: unavailable with EIO")
    func unitMissing() throws {
        let tree = try makeTree(cpus: [(0, 0, 0)])
        let msrs = RecordedMSRs()
        msrs.set("\(tree.msr)/0/msr", 0x611, 5)  // energy but no unit register
        let p = probe(msr: tree.msr, sysfs: tree.sysfs, cpuinfo: "cpuinfo-intel-spr", access: msrs)
        defer { p.close() }
        p.begin(); p.end()
        let reason = p.reading().reason ?? ""
        #expect(reason.contains("EIO"))
        #expect(reason.contains("0x606"))
    }
}
