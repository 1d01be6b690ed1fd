/// RAPL energy availability per method (perf power PMU, powercap sysfs, MSR), each with its reason.
public struct RAPLSection: SystemInfoSection {
    public static let key = "rapl"
    public static let title = "RAPL energy"

    /// Overall: available when any method is.
    public var availability: Availability
    /// One finding per method, in the order probes try them.
    public var methods: [RAPLDiscovery.Finding]

    public static func collect(_ context: SystemInfoContext) -> RAPLSection {
        let findings = RAPLDiscovery(paths: context.paths, cpuInfo: try? context.cpuInfo.get()).run()
        let working = findings.filter(\.availability.isAvailable).map(\.method)
        let overall: Availability = working.isEmpty
            ? .unavailable(findings.map { "\($0.method): \($0.availability.reason ?? "")" }.joined(separator: " | "))
            : .available("via \(working.joined(separator: ", "))")
        return RAPLSection(availability: overall, methods: findings)
    }

    public var textLines: [SystemInfoLine] {
        [SystemInfoLine("RAPL", availability.isAvailable ? availability.description : "unavailable (reasons per method below)")]
            + methods.map { finding in
                let domains = finding.domains.isEmpty ? "" : " [domains: \(finding.domains.joined(separator: ", "))]"
                return SystemInfoLine(finding.method, finding.availability.description + domains)
            }
    }
}
