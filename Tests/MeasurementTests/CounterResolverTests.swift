import Measurement
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Event names to encodings: raw codes, pmu/…/ strings through sysfs format files, modifiers,
/// the counter-list syntax, and what happens to names that cannot be encoded.
@Suite("event names")
struct CounterResolverTests {
    let intel = EventResolver(eventSource: EventSourceDirectory(root: EnergyTestSupport.fixture("event-source-intel")))
    let vm = EventResolver(eventSource: EventSourceDirectory(root: EnergyTestSupport.fixture("event-source-vm")))

    func encoded(_ resolver: EventResolver, _ name: String) throws -> PerfEventEncoding {
        guard case .encoded(let e) = try resolver.resolve(name) else {
            throw CounterConfigurationError("\(name) did not encode")
        }
        return e
    }

    @Test("raw rNNNN codes are PERF_TYPE_RAW with the hex config")
    func rawCodes() throws {
        let e = try encoded(intel, "r01c2")
        #expect(e.type == 4 && e.config == 0x1c2 && e.source == .raw)
        #expect(try encoded(intel, "r412e").config == 0x412e)
        #expect(throws: CounterConfigurationError.self) { try intel.resolve("r11112222333344445") }
    }

    @Test("cpu/event=0xc0,umask=0x0/ is encoded with the cpu PMU's sysfs format files")
    func pmuStringWithFormats() throws {
        let e = try encoded(intel, "cpu/event=0xc0,umask=0x0/")
        #expect(e.type == 4)
        #expect(e.config == 0xc0)
        #expect(e.source == .sysfsFormat)
        let llc = try encoded(intel, "cpu/event=0x2e,umask=0x41,cmask=2,inv,edge/")
        // umask bits 8-15, edge bit 18, inv bit 23, cmask bits 24-31 (the fixture's format files).
        #expect(llc.config == 0x2e | 0x41 << 8 | 1 << 18 | 1 << 23 | 2 << 24)
        #expect(try encoded(intel, "cpu/event=0xd1,umask=0x20,ldlat=3/").config1 == 3)
    }

    @Test("power/energy-pkg/ expands the PMU's event alias, with its scale and unit")
    func pmuEventAlias() throws {
        let e = try encoded(intel, "power/energy-pkg/")
        #expect(e.type == 23 && e.config == 2)
        #expect(e.scale == 2.3283064365386962890625e-10)
        #expect(e.unit == "Joules")
    }

    @Test("a pmu/…/ string for a PMU the kernel lacks is unsupported: ENOENT, no such PMU")
    func missingPMU() throws {
        guard case .unsupported(let code, let reason) = try vm.resolve("cpu/event=0xc0,umask=0x0/") else {
            Issue.record("expected unsupported")
            return
        }
        #expect(code == ENOENT)
        #expect(reason.hasPrefix("no such PMU: the kernel exposes no 'cpu' PMU here"))
        #expect(reason.contains("present: msr, power, software"))
    }

    @Test("malformed strings are errors that name the problem")
    func malformed() {
        #expect(throws: CounterConfigurationError.self) { try intel.resolve("cpu/bogus=1/") }
        #expect(throws: CounterConfigurationError.self) { try intel.resolve("cpu/event=0x1ff/") }  // 8-bit field
        #expect(throws: CounterConfigurationError.self) { try intel.resolve("cpu/event=zz/") }
        #expect(throws: CounterConfigurationError.self) { try intel.resolve("cpu/event=1/x") }
        do {
            _ = try intel.resolve("cpu/bogus=1/")
        } catch {
            #expect("\(error)".contains("PMU 'cpu' has no term 'bogus'"))
        }
    }

    @Test("perf-style modifiers on generic names and after pmu strings")
    func modifiers() throws {
        let kernelOnly = try encoded(intel, "cpu/event=0x3c/k")
        #expect(kernelOnly.excludeUser && !kernelOnly.excludeKernel)
        let both = try encoded(intel, "r00c0:uk")
        #expect(!both.excludeUser && !both.excludeKernel && both.excludeHypervisor)
    }

    @Test("counter lists split at commas outside pmu/…/ strings")
    func listSyntax() throws {
        #expect(try EventResolver.parseList("cycles, cpu/event=0xc0,umask=0x0/,instructions")
                == ["cycles", "cpu/event=0xc0,umask=0x0/", "instructions"])
        #expect(throws: CounterConfigurationError.self) { try EventResolver.parseList("cycles,,instructions") }
        #expect(throws: CounterConfigurationError.self) { try EventResolver.parseList("cpu/event=1") }
    }

    @Test("a name of a PMU libpfm4 does not detect is unsupported, naming the PMUs it does detect")
    func unknownPMUName() throws {
        guard case .unsupported(let code, let reason) = try vm.resolve("power10::PM_INST_CMPL") else {
            Issue.record("expected unsupported")
            return
        }
        #expect(code == nil)
        #expect(reason.contains("libpfm4 does not detect PMU 'power10'"))
        #expect(reason.contains("LIBPFM_FORCE_PMU"))
        guard case .unsupported(_, let other) = try vm.resolve("no-such-event") else {
            Issue.record("expected unsupported")
            return
        }
        #expect(other.contains("unknown event 'no-such-event'"))
    }

    @Test("software events keep kernel-mode counting whichever encoder made them")
    func softwareKernelMode() throws {
        for name in ["task-clock", "context-switches", "page-faults", "cpu-clock"] {
            let e = try encoded(vm, name)
            #expect(e.type == 1, "\(name)")
            #expect(!e.excludeKernel, "\(name)")
        }
        #expect(try encoded(vm, "task-clock").unit == "ns")
    }
}
