/// The cpufreq governor and driver per CPU, and whether they make timings noisy.
public struct FrequencySection: SystemInfoSection {
    public static let key = "frequency"
    public static let title = "CPU frequency"

    /// CPUs sharing one governor.
    public struct Group: Codable, Equatable, Sendable {
        /// The governor, e.g. `performance`.
        public var governor: String
        /// Its CPUs as a kernel list.
        public var cpus: String
    }

    /// The governor when all CPUs agree; otherwise the groups say which CPU has which.
    public var governor: Known<String>
    /// Governor per CPU group.
    public var groups: [Group]
    /// `scaling_driver` of the first CPU.
    public var driver: Known<String>

    public static func collect(_ context: SystemInfoContext) -> FrequencySection {
        let sysfs = context.paths.sysfsReader
        let cpus: [Int]
        switch context.topology {
        case .success(let topology): cpus = topology.cpus.map(\.id)
        case .failure(let error):
            return FrequencySection(governor: .unknown(error.description), groups: [], driver: .unknown(error.description))
        }
        let first = "devices/system/cpu/cpu\(cpus[0])/cpufreq"
        guard sysfs.exists(first) else {
            let why = "no cpufreq driver: \(sysfs.path(first)) does not exist"
                + (((try? context.cpuInfo.get())?.underHypervisor ?? false) ? " (this CPU runs under a hypervisor, which sets the frequency)" : "")
            return FrequencySection(governor: .unknown(why), groups: [], driver: .unknown(why))
        }
        var byGovernor: [String: [Int]] = [:]
        var failures: [String] = []
        for cpu in cpus {
            do {
                byGovernor[try sysfs.string("devices/system/cpu/cpu\(cpu)/cpufreq/scaling_governor"), default: []].append(cpu)
            } catch {
                failures.append("\(error)")
            }
        }
        let groups = byGovernor.sorted { $0.value[0] < $1.value[0] }.map { Group(governor: $0.key, cpus: CPUList.format($0.value)) }
        let governor: Known<String>
        if !failures.isEmpty {
            governor = .unknown(failures[0])
        } else if groups.count == 1 {
            governor = .known(groups[0].governor)
        } else {
            governor = .unknown("CPUs differ: " + groups.map { "\($0.governor) on \($0.cpus)" }.joined(separator: ", "))
        }
        return FrequencySection(governor: governor, groups: groups,
                                driver: Known.reading { try sysfs.string("\(first)/scaling_driver") })
    }

    public var warnings: [String] {
        let scaling = groups.filter { $0.governor != "performance" }
        guard !scaling.isEmpty else { return [] }
        let list = scaling.map { "'\($0.governor)' on CPUs \($0.cpus)" }.joined(separator: ", ")
        return ["CPU frequency scaling is active (\(list)); timings will be noisy. Set the 'performance' governor (cpupower frequency-set -g performance)."]
    }

    public var textLines: [SystemInfoLine] {
        [
            SystemInfoLine("governor", governor.value ?? (groups.isEmpty ? governor.text { $0 } : groups.map { "\($0.governor) (CPUs \($0.cpus))" }.joined(separator: ", "))),
            SystemInfoLine("driver", driver.reason != nil && driver.reason == governor.reason ? "unknown (same reason)" : driver.text { $0 }),
        ]
    }
}
