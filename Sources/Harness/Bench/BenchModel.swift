import Synthetic

/// A model of a sweep: a GGUF file (run in the weight type it holds) or a synthetic shape,
/// made in memory once per weight type of the sweep.
public enum BenchModel: Sendable, Equatable {
    /// A GGUF file, memory-mapped.
    case file(path: String)
    /// A synthetic model; its `weightType` is replaced by each format of the sweep.
    case synthetic(SyntheticModelSpec)

    /// The name in reports: the path, or the preset name ("700M").
    public var name: String {
        switch self {
        case .file(let path): return path
        case .synthetic(let spec): return spec.shape.name
        }
    }

    /// True for a file, whose weight type is fixed.
    public var isFile: Bool {
        if case .file = self { return true }
        return false
    }
}
