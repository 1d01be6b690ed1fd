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
        features.supportsAVX2Kernels ? .avx2 : .portable
    }

    /// The path to use: `requested` if this CPU can run it, `best` when nil.
    /// Throws `KernelPathError` when `avx2` is forced on a CPU without AVX2, FMA and F16C.
    public static func resolve(_ requested: KernelPath?) throws -> KernelPath {
        try resolve(requested, features: .current)
    }

    /// `resolve` against a given feature set (tests model other CPUs with it).
    public static func resolve(_ requested: KernelPath?, features: CPUFeatures) throws -> KernelPath {
        guard let requested else { return best(for: features) }
        if requested == .avx2 && !features.supportsAVX2Kernels {
            let missing = [("avx2", features.avx2), ("fma", features.fma), ("f16c", features.f16c)]
                .filter { !$0.1 }.map(\.0)
            throw KernelPathError(requested: requested, missingFeatures: missing)
        }
        return requested
    }
}
