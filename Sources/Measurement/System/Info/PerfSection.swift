#if canImport(Glibc)
import Glibc
#endif

/// The perf PMUs the kernel exposes and what `perf_event_paranoid` allows: the static facts
/// behind whether hardware counters can work here.
public struct PerfSection: SystemInfoSection {
    public static let key = "perf"
    public static let title = "Perf events"

    /// One PMU of /sys/bus/event_source/devices.
    public struct PMU: Codable, Equatable, Sendable {
        /// Its name, e.g. `cpu`, `software`, `power`.
        public var name: String
        /// The perf_event_attr.type to open it with, if readable.
        public var type: Int?
    }

    /// The PMUs.
    public var pmus: Known<[PMU]>
    /// /proc/sys/kernel/perf_event_paranoid.
    public var perfEventParanoid: Known<Int>
    /// What that level allows, from the kernel's perf-security documentation.
    public var paranoidMeaning: String?
    /// True when running as root (euid 0), which bypasses the paranoid level.
    public var privileged: Bool
    /// Whether a core PMU (hardware cycles, instructions) is exposed, or why not.
    public var hardwareCounters: Availability
    /// Whether the software PMU (task-clock, page-faults, context-switches) is exposed.
    public var softwareEvents: Availability

    public static func collect(_ context: SystemInfoContext) -> PerfSection {
        let devices = SysfsReader(root: context.paths.eventSource.root)
        let pmus = Known<[PMU]>.reading {
            try devices.entries("").map { PMU(name: $0, type: try? devices.integer("\($0)/type")) }
        }
        let paranoid = Known<Int>.reading { try context.paths.procfsReader.integer("sys/kernel/perf_event_paranoid") }
        let privileged = geteuid() == 0
        let hardware: Availability, software: Availability
        switch pmus {
        case .known(let list):
            let names = list.map(\.name)
            if let core = names.first(where: EventSourceDirectory.isCorePMU) {
                if let level = paranoid.value, level >= 3, !privileged {
                    hardware = .unavailable("core PMU '\(core)' exists, but perf_event_paranoid = \(level) forbids unprivileged perf_event_open (set it to 2 or lower, or grant CAP_PERFMON)")
                } else {
                    hardware = .available("core PMU '\(core)'")
                }
            } else {
                hardware = .unavailable("the kernel exposes no core PMU in \(devices.root) (found: \(names.joined(separator: ", "))); the CPU or hypervisor provides no hardware counters")
            }
            software = names.contains("software") ? .available(nil) : .unavailable("no 'software' PMU in \(devices.root)")
        case .unknown(let reason):
            hardware = .unavailable(reason)
            software = .unavailable(reason)
        }
        return PerfSection(pmus: pmus, perfEventParanoid: paranoid, paranoidMeaning: paranoid.value.map(meaning),
                           privileged: privileged, hardwareCounters: hardware, softwareEvents: software)
    }

    // Documentation/admin-guide/perf-security.rst; 3 is a Debian/Android patch level.
    static func meaning(_ level: Int) -> String {
        switch level {
        case ...(-1): return "no restrictions"
        case 0: return "CPU-wide events allowed, no raw tracepoints"
        case 1: return "own processes, user and kernel space; no CPU-wide events without privilege"
        case 2: return "own processes, user space only; no CPU-wide events without privilege"
        default: return "no perf_event_open without privilege (distribution patch)"
        }
    }

    public var textLines: [SystemInfoLine] {
        [
            SystemInfoLine("PMUs", pmus.text { list in list.map { pmu in pmu.type.map { "\(pmu.name) (type \($0))" } ?? pmu.name }.joined(separator: ", ") }),
            SystemInfoLine("perf_event_paranoid", perfEventParanoid.text { "\($0)" } + (paranoidMeaning.map { ": \($0)" } ?? "")
                           + (privileged ? " (running as root: not restricted)" : "")),
            SystemInfoLine("hardware counters", hardwareCounters.description),
            SystemInfoLine("software events", softwareEvents.description),
        ]
    }
}
