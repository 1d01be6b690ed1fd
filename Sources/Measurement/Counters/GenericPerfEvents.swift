import CPerfEvent

/// The kernel's generic events by the names `perf stat` accepts, for when libpfm4 does not
/// encode them (its `perf` PMU is off when LIBPFM_FORCE_PMU selects a hardware PMU).
public enum GenericPerfEvents {
    // PERF_COUNT_HW_* values from include/uapi/linux/perf_event.h (enum perf_hw_id).
    private static let hardware: [(names: [String], config: UInt64, constant: String)] = [
        (["cycles", "cpu-cycles"], 0, "PERF_COUNT_HW_CPU_CYCLES"),
        (["instructions"], 1, "PERF_COUNT_HW_INSTRUCTIONS"),
        (["cache-references"], 2, "PERF_COUNT_HW_CACHE_REFERENCES"),
        (["cache-misses"], 3, "PERF_COUNT_HW_CACHE_MISSES"),
        (["branches", "branch-instructions"], 4, "PERF_COUNT_HW_BRANCH_INSTRUCTIONS"),
        (["branch-misses"], 5, "PERF_COUNT_HW_BRANCH_MISSES"),
        (["bus-cycles"], 6, "PERF_COUNT_HW_BUS_CYCLES"),
        (["stalled-cycles-frontend", "idle-cycles-frontend"], 7, "PERF_COUNT_HW_STALLED_CYCLES_FRONTEND"),
        (["stalled-cycles-backend", "idle-cycles-backend"], 8, "PERF_COUNT_HW_STALLED_CYCLES_BACKEND"),
        (["ref-cycles"], 9, "PERF_COUNT_HW_REF_CPU_CYCLES"),
    ]

    // PERF_COUNT_SW_* values from include/uapi/linux/perf_event.h (enum perf_sw_ids).
    private static let software: [(names: [String], config: UInt64, constant: String, unit: String?)] = [
        (["cpu-clock"], 0, "PERF_COUNT_SW_CPU_CLOCK", "ns"),
        (["task-clock"], 1, "PERF_COUNT_SW_TASK_CLOCK", "ns"),
        (["page-faults", "faults"], 2, "PERF_COUNT_SW_PAGE_FAULTS", nil),
        (["context-switches", "cs"], 3, "PERF_COUNT_SW_CONTEXT_SWITCHES", nil),
        (["cpu-migrations", "migrations"], 4, "PERF_COUNT_SW_CPU_MIGRATIONS", nil),
        (["minor-faults"], 5, "PERF_COUNT_SW_PAGE_FAULTS_MIN", nil),
        (["major-faults"], 6, "PERF_COUNT_SW_PAGE_FAULTS_MAJ", nil),
        (["alignment-faults"], 7, "PERF_COUNT_SW_ALIGNMENT_FAULTS", nil),
        (["emulation-faults"], 8, "PERF_COUNT_SW_EMULATION_FAULTS", nil),
    ]

    // perf_hw_cache_id, perf_hw_cache_op_id and perf_hw_cache_op_result_id from
    // include/uapi/linux/perf_event.h; config = id | op << 8 | result << 16.
    private static let caches: [(prefix: String, id: UInt64, constant: String)] = [
        ("L1-dcache", 0, "L1D"), ("L1-icache", 1, "L1I"), ("LLC", 2, "LL"),
        ("dTLB", 3, "DTLB"), ("iTLB", 4, "ITLB"), ("branch", 5, "BPU"), ("node", 6, "NODE"),
    ]
    private static let cacheOps: [(suffix: String, op: UInt64, result: UInt64, constant: String)] = [
        ("loads", 0, 0, "OP_READ:RESULT_ACCESS"), ("load-misses", 0, 1, "OP_READ:RESULT_MISS"),
        ("stores", 1, 0, "OP_WRITE:RESULT_ACCESS"), ("store-misses", 1, 1, "OP_WRITE:RESULT_MISS"),
        ("prefetches", 2, 0, "OP_PREFETCH:RESULT_ACCESS"), ("prefetch-misses", 2, 1, "OP_PREFETCH:RESULT_MISS"),
    ]

    /// Every name this table knows.
    public static var allNames: [String] {
        hardware.flatMap(\.names) + software.flatMap(\.names)
            + caches.flatMap { c in cacheOps.map { "\(c.prefix)-\($0.suffix)" } }
    }

    /// The encoding of a generic name, or nil when the name is not a generic event.
    /// Software events count in kernel context too (a context switch happens in the kernel);
    /// hardware and cache events count user mode only, as libpfm4's PFM_PLM3 does.
    public static func encoding(for name: String) -> PerfEventEncoding? {
        if let hw = hardware.first(where: { $0.names.contains(name) }) {
            return PerfEventEncoding(type: UInt32(BB_PERF_TYPE_HARDWARE), config: hw.config,
                                     source: .genericTable, detail: "PERF_TYPE_HARDWARE/\(hw.constant)")
        }
        if let sw = software.first(where: { $0.names.contains(name) }) {
            return PerfEventEncoding(type: UInt32(BB_PERF_TYPE_SOFTWARE), config: sw.config,
                                     excludeKernel: false, excludeHypervisor: false,
                                     source: .genericTable, detail: "PERF_TYPE_SOFTWARE/\(sw.constant)",
                                     unit: sw.unit)
        }
        for cache in caches where name.hasPrefix(cache.prefix + "-") {
            let suffix = name.dropFirst(cache.prefix.count + 1)
            guard let op = cacheOps.first(where: { $0.suffix == suffix }) else { continue }
            let config = cache.id | (op.op << 8) | (op.result << 16)
            return PerfEventEncoding(type: UInt32(BB_PERF_TYPE_HW_CACHE), config: config, source: .genericTable,
                                     detail: "PERF_TYPE_HW_CACHE/PERF_COUNT_HW_CACHE_\(cache.constant):\(op.constant)")
        }
        return nil
    }

    /// The unit of a software event's count ("ns" for the clocks), else nil.
    public static func unit(forSoftwareConfig config: UInt64) -> String? {
        software.first(where: { $0.config == config })?.unit
    }
}
