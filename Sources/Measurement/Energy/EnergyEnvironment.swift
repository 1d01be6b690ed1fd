/// Where the energy probes look, injectable so tests run on fixture trees and recorded reads.
public struct EnergyEnvironment: Sendable {
    /// The kernel's PMU directory (for the perf `power` PMU).
    public var eventSource: EventSourceDirectory
    /// The powercap class directory (`--powercap-root`).
    public var powercapRoot: String
    /// The directory holding `<cpu>/msr` device files.
    public var msrDirectory: String
    /// /sys/devices/system/cpu, for the package and core of each CPU (MSR method).
    public var cpuSysfsRoot: String
    /// /proc/cpuinfo, for the CPU vendor and model (MSR method).
    public var cpuinfoPath: String
    /// How sysfs and procfs files are read.
    public var files: any FileAccess
    /// perf_event_open and friends.
    public var perf: any PerfEventSystem
    /// The MSR devices.
    public var msr: any MSRAccess

    /// The real machine's paths, each overridable.
    public init(eventSourceRoot: String = EventSourceDirectory.defaultRoot,
                powercapRoot: String = "/sys/class/powercap",
                msrDirectory: String = "/dev/cpu",
                cpuSysfsRoot: String = "/sys/devices/system/cpu",
                cpuinfoPath: String = "/proc/cpuinfo",
                files: any FileAccess = SystemFileAccess(),
                perf: any PerfEventSystem = KernelPerfEvents(),
                msr: any MSRAccess = SystemMSRAccess()) {
        self.eventSource = EventSourceDirectory(root: eventSourceRoot, files: files)
        self.powercapRoot = powercapRoot
        self.msrDirectory = msrDirectory
        self.cpuSysfsRoot = cpuSysfsRoot
        self.cpuinfoPath = cpuinfoPath
        self.files = files
        self.perf = perf
        self.msr = msr
    }
}
