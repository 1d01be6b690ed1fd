import Foundation
import Measurement
import Testing

@Suite("sysinfo on this machine")
struct SystemInfoLiveTests {
    // One live collection for the suite: the perf power check waits 100 ms.
    static let live = SystemInfo.collect()

    @Test("JSON is valid, has every section, and decodes back to the same JSON")
    func json() throws {
        let text = try Self.live.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for key in ["schema", "cpu", "numa", "memory", "perf", "probes", "frequency", "kernel", "build"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let decoded = try JSONDecoder().decode(SystemInfo.self, from: Data(text.utf8))
        #expect(try decoded.json() == text)
        // RAPL is reported once: per method in the probes section, with no separate section.
        #expect(object["rapl"] == nil)
    }

    #if arch(x86_64)
    @Test("reports AVX2 present (x86-64)")
    func avx2() throws {
        let cpu = try #require(Self.live.section(CPUSection.self))
        #expect(cpu.architecture.value == "x86-64")
        #expect(cpu.isaFeatures.first { $0.name == "AVX2" }?.present == true)
        #expect(cpu.isaFeatures.map(\.name) == ["AVX2", "FMA", "F16C", "AVX-512F", "AVX-512BW", "AVX-512 VNNI", "AVX-VNNI"])
    }
    #endif

    @Test("reports as many NUMA nodes as sysfs has node folders (one on this machine), via libnuma")
    func numaNodes() throws {
        let numa = try #require(Self.live.section(NUMASection.self))
        let folders = try FileManager.default.contentsOfDirectory(atPath: "/sys/devices/system/node")
            .filter { $0.hasPrefix("node") && Int($0.dropFirst(4)) != nil }
        #expect(numa.nodeCount.value == folders.count)
        #expect(numa.nodes.count == folders.count)
        if LibNUMA.isAvailable {
            #expect(numa.source == "libnuma")
            #expect(numa.nodes.allSatisfy { ($0.memoryBytes ?? 0) > 0 })
        }
    }

    @Test("RAPL: every method that is unavailable says why; unavailable here, with the reasons")
    func rapl() throws {
        let probes = try #require(Self.live.section(ProbesSection.self))
        let methods = probes.probes.filter { EnergyMethod(rawValue: $0.name)?.isMeasurement == true }
        #expect(methods.map(\.name) == ["perf-rapl", "sysfs-rapl", "msr-rapl"])
        for probe in methods where !probe.status.isAvailable {
            #expect(!(probe.status.reason ?? "").isEmpty)
        }
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: "/sys/class/powercap") {
            #expect(methods[1].status.reason?.contains("/sys/class/powercap is absent") == true)
        }
        if !fileManager.fileExists(atPath: "/dev/cpu/0/msr") {
            #expect(methods[2].status.isAvailable == false)
        }
        let hypervisor = Self.live.section(CPUSection.self)?.hypervisor ?? false
        if hypervisor && !fileManager.fileExists(atPath: "/sys/class/powercap") && !fileManager.fileExists(atPath: "/dev/cpu/0/msr") {
            // This machine kind: a VM whose RAPL the host does not pass through.
            #expect(!probes.raplAvailable)
            let object = try JSONSerialization.jsonObject(with: Data(Self.live.json().utf8)) as? [String: Any]
            let list = try #require((object?["probes"] as? [String: Any])?["probes"] as? [[String: Any]])
            for method in ["perf-rapl", "sysfs-rapl", "msr-rapl"] {
                let status = try #require(list.first { $0["name"] as? String == method }?["status"] as? [String: Any])
                #expect(status["available"] as? Bool == false, "\(method)")
                #expect((status["reason"] as? String)?.isEmpty == false, "\(method)")
            }
        }
    }

    @Test("hardware counters: unavailable with the reason when the kernel exposes no core PMU")
    func hardwareCounters() throws {
        let perf = try #require(Self.live.section(PerfSection.self))
        let pmus = try FileManager.default.contentsOfDirectory(atPath: "/sys/bus/event_source/devices")
        #expect(perf.pmus.value?.map(\.name).sorted() == pmus.sorted())
        #expect(perf.softwareEvents.isAvailable == pmus.contains("software"))
        if !pmus.contains(where: { ["cpu", "cpu_core", "cpu_atom"].contains($0) || $0.hasPrefix("armv8") }) {
            #expect(perf.hardwareCounters.reason?.contains("no core PMU") == true)
        }
        #expect(perf.perfEventParanoid.value != nil)
    }

    @Test("build configuration matches how this test was compiled, and debug builds warn")
    func build() throws {
        let build = try #require(Self.live.section(BuildSection.self))
        #if DEBUG
        #expect(build.configuration == "debug")
        #expect(Self.live.warnings.contains { $0.contains("debug mode") })
        #else
        #expect(build.configuration == "release")
        #expect(!Self.live.warnings.contains { $0.contains("debug mode") })
        #endif
        #expect(build.commit.value != nil || build.commit.reason?.isEmpty == false)
    }

    @Test("the text report has a heading per section and no empty values")
    func text() {
        let text = Self.live.text()
        for title in ["CPU", "NUMA", "Memory", "Perf events", "Probes", "CPU frequency", "Kernel", "Build"] {
            #expect(text.contains("\n\(title)\n") || text.hasPrefix("\(title)\n"), "missing \(title)")
        }
        #expect(!text.contains(": \n"))
        #expect(!text.contains("RAPL energy"))
        for method in ["perf-rapl", "sysfs-rapl", "msr-rapl"] {
            #expect(text.components(separatedBy: "  \(method):").count == 2, "\(method) once")
        }
    }
}

@Suite("sysinfo on recorded trees")
struct SystemInfoFixtureTests {
    static func info(_ fixture: TopologyFixture) -> SystemInfo { SystemInfo.collect(paths: fixture.paths) }

    /// The RAPL methods' probes, by method name.
    static func rapl(_ info: SystemInfo) throws -> [String: ProbesSection.Probe] {
        let probes = try #require(info.section(ProbesSection.self)).probes
        return Dictionary(uniqueKeysWithValues: probes.filter { EnergyMethod(rawValue: $0.name)?.isMeasurement == true }.map { ($0.name, $0) })
    }

    @Test("2-socket Xeon: AVX-512, 4 nodes, RAPL by perf and powercap, powersave warns")
    func xeon() throws {
        let info = Self.info(.xeon)
        let cpu = try #require(info.section(CPUSection.self))
        #expect(cpu.model.value == "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz")
        #expect(cpu.identification["model"] == "85")
        #expect(!cpu.hypervisor)
        let features = Dictionary(uniqueKeysWithValues: cpu.isaFeatures.map { ($0.name, $0.present) })
        #expect(features["AVX-512F"] == true && features["AVX-512BW"] == true)
        #expect(features["AVX-512 VNNI"] == false && features["AVX-VNNI"] == false)
        let layout = try #require(cpu.layout.value)
        #expect(layout.packages == 2 && layout.cores == 32 && layout.threads == 64 && layout.threadsPerCore == 2)
        #expect(layout.caches.map(\.name) == ["L1d", "L1i", "L2", "L3"])
        #expect(layout.caches.last?.sizeBytes == 22528 << 10 && layout.caches.last?.instances == 2)

        let numa = try #require(info.section(NUMASection.self))
        #expect(numa.nodeCount.value == 4 && numa.source == "sysfs")
        #expect(numa.nodes[1].cpus == "8-15,40-47")
        #expect(numa.libnuma.reason == SystemInfoContext.recordedTreeReason)

        let rapl = try Self.rapl(info)
        #expect(try #require(info.section(ProbesSection.self)).raplAvailable)
        #expect(rapl["perf-rapl"]?.domains == ["package-0", "cores-0", "dram-0", "package-1", "cores-1", "dram-1"])
        #expect(rapl["perf-rapl"]?.status.isAvailable == true)
        #expect(rapl["perf-rapl"]?.status.description.contains(SystemInfoContext.recordedTreeReason) == true)
        #expect(rapl["sysfs-rapl"]?.domains == ["package-0", "dram-0", "package-1", "dram-1"])
        #expect(rapl["msr-rapl"]?.status.reason?.contains("no \(TopologyFixture.xeon.paths.dev)/cpu/N/msr device") == true)

        let perf = try #require(info.section(PerfSection.self))
        #expect(perf.perfEventParanoid.value == 2)
        #expect(perf.pmus.value?.first { $0.name == "power" }?.type == 21)

        let frequency = try #require(info.section(FrequencySection.self))
        #expect(frequency.governor.value == "powersave" && frequency.driver.value == "intel_pstate")
        #expect(info.warnings.contains { $0.contains("'powersave' on CPUs 0-63") })

        let memory = try #require(info.section(MemorySection.self))
        #expect(memory.totalBytes.value == 4 * (48 << 30))
        #expect(memory.transparentHugepages.value == "always")
        #expect(memory.transparentHugepagesDefrag.value == "defer+madvise")
        #expect(memory.hugetlb.value?.pageSizeBytes == 2 << 20)

        let kernel = try #require(info.section(KernelSection.self))
        #expect(kernel.release.value == "5.15.0-91-generic")
        #expect(kernel.machine.reason == SystemInfoContext.recordedTreeReason)
    }

    @Test("8-node EPYC: no AVX-512, package energy only, performance governor does not warn")
    func epyc() throws {
        let info = Self.info(.epyc8)
        let cpu = try #require(info.section(CPUSection.self))
        #expect(cpu.vendor.value == "AuthenticAMD")
        #expect(cpu.isaFeatures.filter(\.present).map(\.name) == ["AVX2", "FMA", "F16C"])
        #expect(info.section(NUMASection.self)?.nodeCount.value == 8)
        #expect(try Self.rapl(info)["perf-rapl"]?.domains == (0..<2).map { "package-\($0)" })
        #expect(info.section(FrequencySection.self)?.governor.value == "performance")
        #expect(!info.warnings.contains { $0.contains("scaling") })
        #expect(info.section(MemorySection.self)?.hugetlb.value?.pagesTotal == 1024)
    }

    @Test("1-socket EPYC: no power PMU and no powercap, each with its reason")
    func epycWithoutRAPL() throws {
        let info = Self.info(.epyc4)
        #expect(try #require(info.section(ProbesSection.self)).raplAvailable == false)
        let rapl = try Self.rapl(info)
        #expect(rapl["perf-rapl"]?.status.reason?.contains("no perf 'power' PMU") == true)
        #expect(rapl["sysfs-rapl"]?.status.reason?.contains("powercap is absent") == true)
        let frequency = try #require(Self.info(.epyc4).section(FrequencySection.self))
        #expect(frequency.governor.value == "schedutil")
    }

    @Test("ARM: NEON and dotprod from the Features line; no MSR RAPL; no cpufreq gives a reason")
    func arm() throws {
        let info = Self.info(.arm)
        let cpu = try #require(info.section(CPUSection.self))
        #expect(cpu.architecture.value == "arm64")
        #expect(cpu.model.reason?.contains("model name") == true)
        #expect(cpu.vendor.value == "0x41")
        #expect(cpu.identification["CPU part"] == "0xd0c")
        let features = Dictionary(uniqueKeysWithValues: cpu.isaFeatures.map { ($0.name, $0.present) })
        #expect(features == ["NEON": true, "dotprod": true, "i8mm": false])
        #expect(try Self.rapl(info)["msr-rapl"]?.status.reason?.hasPrefix("RAPL MSRs exist only on x86 CPUs") == true)
        #expect(info.section(PerfSection.self)?.hardwareCounters.isAvailable == true)
        let frequency = try #require(info.section(FrequencySection.self))
        #expect(frequency.governor.reason?.contains("no cpufreq driver") == true)
    }

    @Test("the recorded VM tree gives this machine kind's facts: one node, AVX2, no hardware counters")
    func recordedVM() throws {
        let info = Self.info(.vm)
        #expect(info.section(NUMASection.self)?.nodeCount.value == 1)
        #expect(info.section(CPUSection.self)?.isaFeatures.first { $0.name == "AVX2" }?.present == true)
        #expect(info.section(CPUSection.self)?.hypervisor == true)
        #expect(info.section(PerfSection.self)?.hardwareCounters.reason?.contains("no core PMU") == true)
        let rapl = try Self.rapl(info)
        #expect(rapl["perf-rapl"]?.domains == ["psys-0"])
        #expect(rapl["sysfs-rapl"]?.status.reason?.contains("powercap is absent") == true)
    }

    @Test("a root with nothing in it still gives every section, each unknown with a reason")
    func emptyRoot() throws {
        let info = SystemInfo.collect(paths: .recorded(at: "/nonexistent-bitbench-root"))
        #expect(info.sections.count == SystemInfo.sectionTypes.count)
        let cpu = try #require(info.section(CPUSection.self))
        #expect(cpu.model.reason?.contains("ENOENT") == true)
        #expect(cpu.layout.reason?.contains("/nonexistent-bitbench-root") == true)
        #expect(info.section(MemorySection.self)?.totalBytes.reason != nil)
        #expect(info.section(FrequencySection.self)?.governor.reason != nil)
        #expect(try JSONSerialization.jsonObject(with: Data(info.json().utf8)) is [String: Any])
    }
}

@Suite("sysinfo structure")
struct SystemInfoStructureTests {
    /// A section defined outside the module, as the probes work will add one.
    struct ExtraSection: SystemInfoSection {
        static let key = "extra"
        static let title = "Extra"
        var answer: Availability
        static func collect(_ context: SystemInfoContext) -> ExtraSection { ExtraSection(answer: .unavailable("not here")) }
        var textLines: [SystemInfoLine] { [SystemInfoLine("answer", answer.description)] }
        var warnings: [String] { ["extra warning"] }
    }

    @Test("a section added in its own type is collected, printed, encoded and warned about")
    func extension_() throws {
        let info = SystemInfo.collect(paths: TopologyFixture.vm.paths, extra: [ExtraSection.self])
        #expect(info.section(ExtraSection.self)?.answer.reason == "not here")
        #expect(info.text().contains("Extra\n  answer: unavailable: not here"))
        #expect(info.warnings.contains("extra warning"))
        let object = try JSONSerialization.jsonObject(with: Data(info.json().utf8)) as? [String: Any]
        #expect((object?["extra"] as? [String: Any])?["answer"] != nil)
        // Decoding keeps the registered sections and skips keys it does not know.
        let decoded = try JSONDecoder().decode(SystemInfo.self, from: Data(info.json().utf8))
        #expect(decoded.sections.count == SystemInfo.sectionTypes.count)
    }

    @Test("unknown values and unavailable probes carry their reason in JSON")
    func shapes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        #expect(try json(Known<Int>.unknown("no file")) == #"{"reason":"no file","value":null}"#)
        #expect(try json(Known<Int>.known(3)) == #"{"value":3}"#)
        #expect(try json(Availability.unavailable("EACCES")) == #"{"available":false,"reason":"EACCES"}"#)
        #expect(try json(Availability.available(nil)) == #"{"available":true}"#)
        let back = try JSONDecoder().decode(Known<Int>.self, from: Data(#"{"value":null,"reason":"x"}"#.utf8))
        #expect(back == .unknown("x"))
    }
}
