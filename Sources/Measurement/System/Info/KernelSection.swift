#if canImport(Glibc)
import Glibc
#endif

/// The kernel release and build string (/proc/sys/kernel) and the machine type (uname).
public struct KernelSection: SystemInfoSection {
    public static let key = "kernel"
    public static let title = "Kernel"

    /// /proc/sys/kernel/osrelease, e.g. `6.8.0-45-generic`.
    public var release: Known<String>
    /// /proc/sys/kernel/version (build number and date).
    public var version: Known<String>
    /// uname machine, e.g. `x86_64`.
    public var machine: Known<String>

    public static func collect(_ context: SystemInfoContext) -> KernelSection {
        let procfs = context.paths.procfsReader
        var machine: Known<String> = .unknown(SystemInfoContext.recordedTreeReason)
        if context.isLive {
            var names = utsname()
            if uname(&names) == 0 {
                machine = .known(withUnsafeBytes(of: names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
            } else {
                machine = .unknown("\(SystemError.current("uname"))")
            }
        }
        return KernelSection(release: Known.reading { try procfs.string("sys/kernel/osrelease") },
                             version: Known.reading { try procfs.string("sys/kernel/version") },
                             machine: machine)
    }

    public var textLines: [SystemInfoLine] {
        [
            SystemInfoLine("release", release.text { $0 }),
            SystemInfoLine("version", version.text { $0 }),
            SystemInfoLine("machine", machine.text { $0 }),
        ]
    }
}
