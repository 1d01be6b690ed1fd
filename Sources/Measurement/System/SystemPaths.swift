/// Where the kernel's file interfaces live: `/sys`, `/proc` and `/dev` on a live machine, or the
/// matching folders of a recorded tree in tests (`--sysfs-root`, `--procfs-root`, `--dev-root`).
public struct SystemPaths: Codable, Equatable, Sendable {
    /// The sysfs mount point, normally `/sys`.
    public var sysfs: String
    /// The procfs mount point, normally `/proc`.
    public var procfs: String
    /// The device directory, normally `/dev`.
    public var dev: String

    /// Roots at explicit paths.
    public init(sysfs: String = "/sys", procfs: String = "/proc", dev: String = "/dev") {
        self.sysfs = sysfs
        self.procfs = procfs
        self.dev = dev
    }

    /// The running machine.
    public static let live = SystemPaths()

    /// A recorded tree holding `sys/`, `proc/` and `dev/` below one folder.
    public static func recorded(at root: String) -> SystemPaths {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        return SystemPaths(sysfs: base + "/sys", procfs: base + "/proc", dev: base + "/dev")
    }

    /// True when every root is the live one, so live-only queries (libnuma, perf_event_open,
    /// page locations) describe the same machine as the files.
    public var isLive: Bool { self == .live }

    /// A reader of sysfs files.
    public var sysfsReader: SysfsReader { SysfsReader(root: sysfs) }
    /// A reader of procfs files.
    public var procfsReader: SysfsReader { SysfsReader(root: procfs) }
    /// A reader of device files.
    public var devReader: SysfsReader { SysfsReader(root: dev) }

    /// The perf PMUs below the sysfs root.
    public var eventSource: EventSourceDirectory { EventSourceDirectory(root: sysfs + "/bus/event_source/devices") }

    /// Where the RAPL methods look below these roots (power PMU, powercap, MSR devices, cpuinfo).
    public var energyEnvironment: EnergyEnvironment {
        EnergyEnvironment(eventSourceRoot: eventSource.root, powercapRoot: sysfs + "/class/powercap",
                          msrDirectory: dev + "/cpu", cpuSysfsRoot: sysfs + "/devices/system/cpu",
                          cpuinfoPath: procfs + "/cpuinfo")
    }
}
