import CPerfEvent
#if canImport(Glibc)
import Glibc
#endif

/// Finds out, per method, whether RAPL energy can be read here, and why not when it cannot
/// (reference/ENERGY-COUNTERS.md). It only discovers; the energy probes do the measuring.
public struct RAPLDiscovery: Sendable {
    /// One method's finding.
    public struct Finding: Codable, Equatable, Sendable {
        /// `perf-rapl`, `sysfs-rapl` or `msr-rapl`, the names records use.
        public var method: String
        /// Whether it works, or why not.
        public var availability: Availability
        /// RAPL domains it exposes (package-0, core, dram, psys …), possibly empty.
        public var domains: [String]
    }

    /// The roots.
    public let paths: SystemPaths
    /// cpuinfo, for the vendor (the MSR numbers differ between Intel and AMD).
    public let cpuInfo: CPUInfo?
    /// How long the perf check waits to see a counter move.
    public var settleMicroseconds: UInt32 = 100_000

    /// A discovery on `paths`.
    public init(paths: SystemPaths, cpuInfo: CPUInfo?) {
        self.paths = paths
        self.cpuInfo = cpuInfo
    }

    /// The three methods in the order energy probes try them.
    public func run() -> [Finding] {
        [perfPowerPMU(), powercap(), msr()]
    }

    /// The perf `power` PMU: listed events, and on the live machine whether they open and count.
    public func perfPowerPMU() -> Finding {
        let sysfs = paths.sysfsReader
        let pmu = "bus/event_source/devices/power"
        guard sysfs.exists(pmu) else {
            return Finding(method: "perf-rapl", availability: .unavailable(
                "\(sysfs.path(pmu)) does not exist: the kernel has no RAPL perf PMU (the CPU has no RAPL, the kernel predates support for it, or a hypervisor hides it)"),
                domains: [])
        }
        let events = ((try? sysfs.entries("\(pmu)/events")) ?? []).filter { $0.hasPrefix("energy-") && !$0.contains(".") }
        let domains = events.map { String($0.dropFirst("energy-".count)) }
        guard !events.isEmpty else {
            return Finding(method: "perf-rapl", availability: .unavailable("\(sysfs.path(pmu)) lists no energy-* events"), domains: [])
        }
        guard paths.isLive else {
            return Finding(method: "perf-rapl", availability: .available(
                "listed: \(events.joined(separator: ", ")); \(SystemInfoContext.recordedTreeReason)"), domains: domains)
        }
        return Finding(method: "perf-rapl", availability: openAndWatch(events: events, pmu: pmu), domains: domains)
    }

    /// powercap sysfs: the intel-rapl zones (also used on AMD) and whether energy_uj is readable.
    public func powercap() -> Finding {
        let sysfs = paths.sysfsReader
        let root = "class/powercap"
        guard sysfs.exists(root) else {
            return Finding(method: "sysfs-rapl", availability: .unavailable(
                "\(sysfs.path(root)) does not exist: the kernel has no powercap driver loaded"), domains: [])
        }
        let zones = ((try? sysfs.entries(root)) ?? []).filter { $0.hasPrefix("intel-rapl:") }
        guard !zones.isEmpty else {
            return Finding(method: "sysfs-rapl", availability: .unavailable(
                "\(sysfs.path(root)) has no intel-rapl zones (the intel_rapl_msr driver is not loaded or RAPL is absent)"), domains: [])
        }
        var domains: [String] = [], readable: [String] = [], refusals: [String] = []
        for zone in zones {
            let name = (try? sysfs.string("\(root)/\(zone)/name")) ?? zone
            domains.append(name)
            do {
                _ = try sysfs.string("\(root)/\(zone)/energy_uj")
                readable.append(zone)
            } catch let error as SystemError {
                let hint = error.errno == EACCES
                    ? " (root-only since the CVE-2020-8694 fix; run as root or make energy_uj readable, e.g. chmod o+r)" : ""
                refusals.append("\(error)\(hint)")
            } catch {
                refusals.append("\(error)")
            }
        }
        if readable.isEmpty {
            return Finding(method: "sysfs-rapl", availability: .unavailable(refusals.joined(separator: "; ")), domains: domains)
        }
        return Finding(method: "sysfs-rapl", availability: .available("readable zones: \(readable.joined(separator: ", "))"), domains: domains)
    }

    /// The RAPL MSRs through /dev/cpu/0/msr: whether the device exists, opens, and the unit
    /// register reads (Intel MSR_RAPL_POWER_UNIT 0x606, AMD 0xC0010299).
    public func msr() -> Finding {
        let dev = paths.devReader
        guard let info = cpuInfo, info.family == .x86 else {
            return Finding(method: "msr-rapl", availability: .unavailable("RAPL MSRs exist only on x86 CPUs"), domains: [])
        }
        let isAMD = info.vendor == "AuthenticAMD" || info.vendor == "HygonGenuine"
        guard isAMD || info.vendor == "GenuineIntel" else {
            return Finding(method: "msr-rapl", availability: .unavailable("vendor \(info.vendor ?? "unknown") has no known RAPL MSRs"), domains: [])
        }
        let device = dev.path("cpu/0/msr")
        guard dev.exists("cpu/0/msr") else {
            return Finding(method: "msr-rapl", availability: .unavailable(
                "\(device) does not exist: the msr kernel module is not loaded (modprobe msr, as root)"), domains: [])
        }
        let fd = open(device, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let error = SystemError.current("open", path: device)
            return Finding(method: "msr-rapl", availability: .unavailable("\(error)\(error.errno == EACCES || error.errno == EPERM ? " (needs root, or CAP_SYS_RAWIO)" : "")"), domains: [])
        }
        defer { close(fd) }
        let unitRegister: Int = isAMD ? 0xC001_0299 : 0x606
        var value: UInt64 = 0
        let n = withUnsafeMutableBytes(of: &value) { pread(fd, $0.baseAddress, 8, off_t(unitRegister)) }
        guard n == 8 else {
            let error = SystemError.current("pread", path: "\(device) at MSR 0x\(String(unitRegister, radix: 16))")
            return Finding(method: "msr-rapl", availability: .unavailable("\(error): the CPU (or hypervisor) does not implement the RAPL unit MSR"), domains: [])
        }
        let domains = isAMD ? ["package", "core"] : ["package", "pp0", "dram"]
        return Finding(method: "msr-rapl", availability: .available("unit MSR 0x\(String(unitRegister, radix: 16)) reads"), domains: domains)
    }
}
