import Measurement
import Testing

/// libpfm4 encodings for PMUs this machine lacks, forced with LIBPFM_FORCE_PMU (set before
/// pfm_initialize, which `PFMLibrary.withForcedPMU` re-runs under its lock). Serialized: the
/// variable is process-wide.
@Suite("libpfm4 encodings under LIBPFM_FORCE_PMU", .serialized)
struct CounterEncodingTests {
    /// (event name, expected perf_event_attr.config). All are PERF_TYPE_RAW (4) at user level.
    typealias Case = (name: String, config: UInt64)

    // AMD PPR for Family 19h (and libpfm4's amd64_events_fam19h_zen3.h): PMCx0C0 retired
    // instructions, PMCx076 cycles not in halt, PMCx0C2/0C3 retired (mispredicted) branches,
    // PMCx003 umask 0x0F retired SSE/AVX FLOPs (any).
    static let zen3: [Case] = [
        ("amd64_fam19h_zen3::RETIRED_INSTRUCTIONS", 0xc0),
        ("amd64_fam19h_zen3::CYCLES_NOT_IN_HALT", 0x76),
        ("amd64_fam19h_zen3::RETIRED_BRANCH_INSTRUCTIONS", 0xc2),
        ("amd64_fam19h_zen3::RETIRED_BRANCH_INSTRUCTIONS_MISPREDICTED", 0xc3),
        ("amd64_fam19h_zen3::RETIRED_SSE_AVX_FLOPS:ANY", 0xf03),
    ]

    // Intel SDM vol. 3B, architectural events (event, umask): instructions retired C0H/00H,
    // unhalted core cycles 3CH/00H, LLC misses 2EH/41H, branch misses retired C5H/00H; and the
    // Skylake/Ice Lake MEM_LOAD_RETIRED.L3_MISS D1H/20H.
    static func intel(_ pmu: String) -> [Case] {
        [
            ("\(pmu)::INST_RETIRED:ANY_P", 0xc0),
            ("\(pmu)::CPU_CLK_UNHALTED:THREAD_P", 0x3c),
            ("\(pmu)::LONGEST_LAT_CACHE:MISS", 0x412e),
            ("\(pmu)::BR_MISP_RETIRED:ALL_BRANCHES", 0xc5),
            ("\(pmu)::MEM_LOAD_RETIRED:L3_MISS", 0x20d1),
        ]
    }

    func check(pmu: String, cases: [Case]) throws {
        let resolver = EventResolver(eventSource: EventSourceDirectory(root: "/nonexistent/event_source"))
        try PFMLibrary.shared.withForcedPMU(pmu) {
            #expect(PFMLibrary.shared.presentPMUs().contains { $0.name == pmu && $0.isCore })
            for c in cases {
                guard case .encoded(let e) = try resolver.resolve(c.name) else {
                    Issue.record("\(c.name) did not encode under LIBPFM_FORCE_PMU=\(pmu)")
                    continue
                }
                #expect(e.source == .libpfm4, "\(c.name)")
                #expect(e.pmu == pmu, "\(c.name)")
                #expect(e.type == 4, "\(c.name): PERF_TYPE_RAW")
                #expect(e.config == c.config, "\(c.name): 0x\(String(e.config, radix: 16))")
                #expect(e.config1 == 0 && e.config2 == 0)
                // PFM_PLM3: user level only.
                #expect(e.excludeKernel && !e.excludeUser, "\(c.name)")
            }
        }
    }

    @Test("AMD Zen 3 (amd64_fam19h_zen3)")
    func amdZen3() throws {
        try check(pmu: "amd64_fam19h_zen3", cases: Self.zen3)
    }

    @Test("Intel Skylake (skl)")
    func intelSkylake() throws {
        try check(pmu: "skl", cases: Self.intel("skl"))
    }

    @Test("Intel Ice Lake (icl)")
    func intelIceLake() throws {
        try check(pmu: "icl", cases: Self.intel("icl"))
    }

    @Test("generic names encode to the kernel's generic events under a forced hardware PMU too")
    func genericNamesWhileForced() throws {
        let resolver = EventResolver(eventSource: EventSourceDirectory(root: "/nonexistent/event_source"))
        // PERF_TYPE_HARDWARE 0: cycles 0, instructions 1, cache-misses 3, branch-misses 5;
        // PERF_TYPE_HW_CACHE 3: LLC (2) | READ (0) << 8 | MISS (1) << 16; PERF_TYPE_SOFTWARE 1.
        let expected: [(String, UInt32, UInt64)] = [
            ("cycles", 0, 0), ("instructions", 0, 1), ("cache-misses", 0, 3), ("branch-misses", 0, 5),
            ("LLC-load-misses", 3, 0x10002), ("task-clock", 1, 1), ("page-faults", 1, 2),
            ("context-switches", 1, 3), ("cpu-clock", 1, 0),
        ]
        try PFMLibrary.shared.withForcedPMU("amd64_fam19h_zen3") {
            for (name, type, config) in expected {
                guard case .encoded(let e) = try resolver.resolve(name) else {
                    Issue.record("\(name) did not encode")
                    continue
                }
                #expect(e.type == type, "\(name)")
                #expect(e.config == config, "\(name)")
                // Software events count in kernel context, else context-switches reads 0.
                #expect(e.excludeKernel == (type != 1), "\(name)")
            }
        }
    }
}
