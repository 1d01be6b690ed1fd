import Kernels

/// What `bitbench kernels` measures: the cross product of formats, shapes, batch sizes and thread
/// counts, each case repeated, with weights streamed from DRAM (cold) or reused from cache (hot).
public struct KernelBenchConfiguration: Sendable {
    /// Formats to measure, in order (F16 is added as the ratio baseline when missing).
    public var formats: [WeightFormatID]
    /// Matrix shapes (M×K).
    public var shapes: [MatrixShape]
    /// Tokens per product (1 = GEMV, more = GEMM).
    public var batches: [Int]
    /// Worker counts.
    public var threads: [Int]
    /// Timed repetitions per case.
    public var repetitions: Int
    /// True: rotate through a pool of weight copies larger than the LLC; false: reuse one copy.
    public var cold: Bool
    /// The kernel path (nil = the best this CPU supports).
    public var path: KernelPath?
    /// Repetitions for the scalar reference (it is slow); at most `repetitions`.
    public var scalarRepetitions: Int
    /// The scalar reference is skipped when M·K·batch exceeds this (it would take many seconds).
    public var scalarWorkLimit: Double
    /// The cold pool (and the bandwidth probe buffer) hold at least this many times the LLC.
    public var coldPoolCacheMultiple: Int
    /// Seed of the random weights and activations.
    public var seed: UInt64
    /// TL1/TL2 tiling per shape (e.g. from --tl2-config); shapes missing here use bitnet.cpp's
    /// presets, else a generated valid tiling (the benchmark makes its own weights).
    public var tiles: TileConfigurationTable = TileConfigurationTable()

    /// Makes a configuration; see the properties for the meaning of each value.
    public init(formats: [WeightFormatID], shapes: [MatrixShape], batches: [Int], threads: [Int],
                repetitions: Int, cold: Bool, path: KernelPath? = nil, scalarRepetitions: Int = 3,
                scalarWorkLimit: Double = 3e9, coldPoolCacheMultiple: Int = 4, seed: UInt64 = 1) {
        self.formats = formats
        self.shapes = shapes
        self.batches = batches
        self.threads = threads
        self.repetitions = repetitions
        self.cold = cold
        self.path = path
        self.scalarRepetitions = scalarRepetitions
        self.scalarWorkLimit = scalarWorkLimit
        self.coldPoolCacheMultiple = coldPoolCacheMultiple
        self.seed = seed
    }

    /// Checks every value and that each format is registered in this build.
    public func validate() throws {
        func fail(_ flag: String, _ reason: String) -> KernelBenchError { .invalid(flag: flag, reason: reason) }
        if formats.isEmpty { throw fail("-k", "give at least one format") }
        let registered = WeightFormats.all.map(\.id)
        for id in formats where !registered.contains(id) {
            throw KernelBenchError.unregisteredFormat(id, registered: registered)
        }
        if shapes.isEmpty { throw fail("--shape", "give at least one MxK shape") }
        if let bad = shapes.first(where: { $0.rows > 1 << 24 || $0.columns > 1 << 24 }) {
            throw fail("--shape", "\(bad) is too large (each dimension at most 16777216)")
        }
        if batches.isEmpty || batches.contains(where: { $0 < 1 || $0 > 4096 }) {
            throw fail("--batch", "each batch size must be 1...4096")
        }
        if threads.isEmpty || threads.contains(where: { $0 < 1 || $0 > 256 }) {
            throw fail("-t", "each thread count must be 1...256")
        }
        if repetitions < 1 || repetitions > 100_000 { throw fail("-r", "repetitions must be 1...100000") }
        if scalarRepetitions < 0 { throw fail("--scalar-reps", "must be 0 or more") }
        if coldPoolCacheMultiple < 1 { throw fail("--cold-multiple", "must be at least 1") }
    }
}

/// Why the kernel benchmark cannot run, naming the flag or the numbers.
public enum KernelBenchError: Error, CustomStringConvertible, Equatable {
    case invalid(flag: String, reason: String)
    case unregisteredFormat(WeightFormatID, registered: [WeightFormatID])
    case doesNotFit(String)

    /// A one-line message.
    public var description: String {
        switch self {
        case let .invalid(flag, reason):
            return "\(flag): \(reason)"
        case let .unregisteredFormat(id, registered):
            return "format \(id.rawValue) is not registered in this build (registered: "
                + registered.map(\.rawValue).joined(separator: ", ") + ")"
        case let .doesNotFit(reason):
            return reason
        }
    }
}
