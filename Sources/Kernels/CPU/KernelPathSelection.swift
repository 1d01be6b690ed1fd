/// A kernel path the user asked for that this CPU cannot run.
public struct KernelPathError: Error, CustomStringConvertible, Equatable {
    /// The path that was requested.
    public var requested: KernelPath
    /// The CPU features it needs that are missing.
    public var missingFeatures: [String]

    /// A one-line message naming the flag.
    public var description: String {
        "--kernel-path \(requested.rawValue) needs CPU features this machine lacks: "
            + missingFeatures.joined(separator: ", ")
            + " (use --kernel-path portable or scalar, or omit the flag to pick the best path)"
    }
}

extension KernelPath {
    /// The fastest path the running CPU supports: picked once, at start-up.
    public static let best: KernelPath = best(for: .current)

    /// The fastest path a CPU with these features supports.
    public static func best(for features: CPUFeatures) -> KernelPath {
        if features.supportsAVX512VNNIKernels { return .avx512vnni }
        if features.supportsAVXVNNIKernels { return .avxvnni }
        return features.supportsAVX2Kernels ? .avx2 : .portable
    }

    /// True for the paths that run the AVX2 kernels (the VNNI paths use them for everything
    /// without a VNNI kernel: activation encoders, float formats, attention).
    public var usesAVX2Kernels: Bool { self == .avx2 || self == .avxvnni || self == .avx512vnni }

    /// The path that formats without VNNI kernels run under this one: `avx2` for the VNNI paths.
    public var withoutVNNI: KernelPath { usesAVX2Kernels ? .avx2 : self }

    /// The CPU features this path needs (lower-case names as in `CPUFeatures.names`).
    public var requiredFeatures: [String] {
        switch self {
        case .scalar, .portable: return []
        case .avx2: return ["avx2", "fma", "f16c"]
        case .avxvnni: return ["avx2", "fma", "f16c", "avxvnni"]
        case .avx512vnni: return ["avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vnni"]
        }
    }

    /// The path to use: `requested` if this CPU can run it, `best` when nil.
    /// Throws `KernelPathError` when a path is forced on a CPU without the features it needs.
    public static func resolve(_ requested: KernelPath?) throws -> KernelPath {
        try resolve(requested, features: .current)
    }

    /// `resolve` against a given feature set (tests model other CPUs with it).
    public static func resolve(_ requested: KernelPath?, features: CPUFeatures) throws -> KernelPath {
        guard let requested else { return best(for: features) }
        let missing = features.missing(requested.requiredFeatures)
        if !missing.isEmpty { throw KernelPathError(requested: requested, missingFeatures: missing) }
        return requested
    }
}
