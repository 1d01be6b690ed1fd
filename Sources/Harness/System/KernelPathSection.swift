import Kernels
import Measurement

/// `bitbench sysinfo`'s kernel section: the CPU features the kernels detected (CPUID), the path
/// picked by default, and every path with whether this CPU can run it and why not.
public struct KernelPathSection: SystemInfoSection {
    public static let key = "kernels"
    public static let title = "Kernel paths"

    /// One path and whether it runs here.
    public struct PathAvailability: Codable, Equatable, Sendable {
        /// The `--kernel-path` value.
        public var path: String
        /// True when this CPU has every feature the path needs.
        public var available: Bool
        /// The features it needs that this CPU lacks (empty when available).
        public var missing: [String]
    }

    /// The features CPUID reported (lower-case names).
    public var detectedFeatures: [String]
    /// The path used when `--kernel-path` is omitted.
    public var defaultPath: String
    /// Every path, in `KernelPath.allCases` order.
    public var paths: [PathAvailability]

    /// The section for a CPU with these features.
    public init(features: CPUFeatures) {
        detectedFeatures = features.names
        defaultPath = KernelPath.best(for: features).rawValue
        paths = KernelPath.allCases.map {
            let missing = features.missing($0.requiredFeatures)
            return PathAvailability(path: $0.rawValue, available: missing.isEmpty, missing: missing)
        }
    }

    public static func collect(_ context: SystemInfoContext) -> KernelPathSection {
        KernelPathSection(features: .current)
    }

    public var textLines: [SystemInfoLine] {
        var lines = [SystemInfoLine("detected", detectedFeatures.joined(separator: " ")),
                     SystemInfoLine("default", defaultPath + (defaultPath.hasSuffix("vnni") ? " (VNNI kernels for I2_S, AVX2 for the other formats)" : ""))]
        for entry in paths {
            lines.append(SystemInfoLine(entry.path, entry.available ? "available" : "unavailable: needs " + entry.missing.joined(separator: ", ")))
        }
        return lines
    }
}
