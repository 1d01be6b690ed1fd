import CPerfEvent
#if canImport(Glibc)
import Glibc
#endif

/// Why perf_event_open refused an event: errno and the kernel's meaning of it for this event.
public struct PerfOpenFailure: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The errno value.
    public var errno: Int32
    /// Its symbolic name (ENOENT).
    public var errnoName: String
    /// What it means here, with what to do about it.
    public var reason: String

    /// "ENOENT: no such PMU: …".
    public var description: String { "\(errnoName): \(reason)" }

    /// Explains `error` for `encoding`, looking at the kernel's PMU list where that helps.
    public static func explain(_ error: SystemError, encoding: PerfEventEncoding,
                               eventSource: EventSourceDirectory, libpfmCorePMUs: [String] = []) -> PerfOpenFailure {
        PerfOpenFailure(errno: error.errno, errnoName: error.errnoName,
                        reason: reason(error.errno, encoding: encoding, eventSource: eventSource,
                                       libpfmCorePMUs: libpfmCorePMUs, message: error.message))
    }

    private static func usesCorePMU(_ type: UInt32) -> Bool {
        type == UInt32(BB_PERF_TYPE_HARDWARE) || type == UInt32(BB_PERF_TYPE_HW_CACHE) || type == UInt32(BB_PERF_TYPE_RAW)
    }

    // perf_event_open(2), ERRORS section, for the meaning of each errno.
    private static func reason(_ code: Int32, encoding: PerfEventEncoding, eventSource: EventSourceDirectory,
                               libpfmCorePMUs: [String], message: String) -> String {
        switch code {
        case ENOENT:
            if usesCorePMU(encoding.type) {
                let present = eventSource.pmuNames()
                if !present.contains(where: EventSourceDirectory.isCorePMU) {
                    var text = "no such PMU: the kernel exposes no 'cpu' PMU here (\(eventSource.path(ofPMU: "cpu")) is absent; present: \(present.isEmpty ? "none" : present.joined(separator: ", "))), so hardware events cannot be counted"
                    if !libpfmCorePMUs.isEmpty {
                        text += "; libpfm4 detects \(libpfmCorePMUs.joined(separator: ", ")) from CPUID, but the kernel has no counters for it (a VM without PMU passthrough)"
                    }
                    return text
                }
                return "the kernel's CPU PMU does not support this event (\(encoding.typeName) config 0x\(String(encoding.config, radix: 16)))"
            }
            return "no such event: the kernel has no PMU of \(encoding.typeName) or it does not know config 0x\(String(encoding.config, radix: 16))"
        case EACCES, EPERM:
            let paranoid = (try? SystemFileAccess().readTrimmed("/proc/sys/kernel/perf_event_paranoid")) ?? "unknown"
            return "permission denied (perf_event_paranoid = \(paranoid)): run as root, grant CAP_PERFMON, or lower /proc/sys/kernel/perf_event_paranoid"
        case EINVAL:
            return "the kernel rejected the encoding (\(encoding.typeName) config 0x\(String(encoding.config, radix: 16))): invalid for this PMU, or an attribute combination it does not support"
        case EOPNOTSUPP:
            return "the PMU does not support this mode (per-task counting on a system-wide PMU, or the requested privilege-level exclusions)"
        case ENODEV:
            return "the event is not available on this CPU"
        case EBUSY:
            return "the counter is held by another user (for example the NMI watchdog or another profiler)"
        case EMFILE, ENFILE:
            return "too many open files: raise the limit (ulimit -n)"
        case E2BIG:
            return "the kernel does not accept this perf_event_attr size"
        case ENOSYS:
            return "perf_event_open is not available (kernel without CONFIG_PERF_EVENTS, or blocked by seccomp)"
        case ESRCH:
            return "the target process or thread does not exist"
        default:
            return message
        }
    }
}
