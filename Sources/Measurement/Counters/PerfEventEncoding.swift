import CPerfEvent

/// How one event is programmed: the perf_event_attr fields BitBench sets, and where they came from.
public struct PerfEventEncoding: Codable, Sendable, Equatable {
    /// Where an encoding came from.
    public enum Source: String, Codable, Sendable {
        /// libpfm4's pfm_get_os_event_encoding (its own tables, or its perf generic PMU).
        case libpfm4
        /// BitBench's table of the kernel's generic hardware, software and cache events.
        case genericTable = "generic-table"
        /// A raw `rNNNN` code (PERF_TYPE_RAW).
        case raw
        /// A `pmu/term=value,…/` string encoded with the PMU's sysfs format files.
        case sysfsFormat = "sysfs-format"
    }

    /// perf_event_attr.type: PERF_TYPE_* or a dynamic PMU type from sysfs.
    public var type: UInt32
    /// perf_event_attr.config.
    public var config: UInt64
    /// perf_event_attr.config1.
    public var config1: UInt64
    /// perf_event_attr.config2.
    public var config2: UInt64
    /// Do not count in user mode.
    public var excludeUser: Bool
    /// Do not count in kernel mode.
    public var excludeKernel: Bool
    /// Do not count in hypervisor mode.
    public var excludeHypervisor: Bool
    /// Where the encoding came from.
    public var source: Source
    /// The canonical form, e.g. libpfm4's fully qualified name or the generic constant's name.
    public var detail: String
    /// The PMU that libpfm4 or sysfs says the event belongs to, when known.
    public var pmu: String?
    /// Multiply counts by this (sysfs `.scale`), when the event has a scale.
    public var scale: Double?
    /// Unit of scaled counts (sysfs `.unit`), when known.
    public var unit: String?

    /// Makes an encoding; by default user mode only (PFM_PLM3, as for libpfm4 encodings).
    public init(type: UInt32, config: UInt64, config1: UInt64 = 0, config2: UInt64 = 0,
                excludeUser: Bool = false, excludeKernel: Bool = true, excludeHypervisor: Bool = true,
                source: Source, detail: String, pmu: String? = nil, scale: Double? = nil, unit: String? = nil) {
        self.type = type
        self.config = config
        self.config1 = config1
        self.config2 = config2
        self.excludeUser = excludeUser
        self.excludeKernel = excludeKernel
        self.excludeHypervisor = excludeHypervisor
        self.source = source
        self.detail = detail
        self.pmu = pmu
        self.scale = scale
        self.unit = unit
    }

    /// True for PERF_TYPE_SOFTWARE events, which the kernel counts in kernel context.
    public var isSoftware: Bool { type == UInt32(BB_PERF_TYPE_SOFTWARE) }

    /// The PERF_TYPE_* name for the fixed types, else "dynamic PMU type N".
    public var typeName: String { Self.typeName(type) }

    /// The PERF_TYPE_* name for the fixed types, else "dynamic PMU type N".
    public static func typeName(_ type: UInt32) -> String {
        switch Int(type) {
        case Int(BB_PERF_TYPE_HARDWARE): return "PERF_TYPE_HARDWARE"
        case Int(BB_PERF_TYPE_SOFTWARE): return "PERF_TYPE_SOFTWARE"
        case Int(BB_PERF_TYPE_TRACEPOINT): return "PERF_TYPE_TRACEPOINT"
        case Int(BB_PERF_TYPE_HW_CACHE): return "PERF_TYPE_HW_CACHE"
        case Int(BB_PERF_TYPE_RAW): return "PERF_TYPE_RAW"
        case Int(BB_PERF_TYPE_BREAKPOINT): return "PERF_TYPE_BREAKPOINT"
        default: return "dynamic PMU type \(type)"
        }
    }

    /// The attr fields as the C shim takes them.
    func spec(readFormat: UInt64, disabled: Bool, inherit: Bool, enableOnExec: Bool) -> bb_perf_event_spec {
        var s = bb_perf_event_spec()
        s.type = type
        s.config = config
        s.config1 = config1
        s.config2 = config2
        s.read_format = readFormat
        s.disabled = disabled ? 1 : 0
        s.inherit = inherit ? 1 : 0
        s.enable_on_exec = enableOnExec ? 1 : 0
        s.exclude_user = excludeUser ? 1 : 0
        s.exclude_kernel = excludeKernel ? 1 : 0
        s.exclude_hv = excludeHypervisor ? 1 : 0
        return s
    }
}
