import Kernels

/// How an `InferenceSession` is set up: threads, context, batch and kernel choices.
public struct SessionOptions: Sendable {
    /// Worker threads for the kernels and attention (the caller's thread included).
    public var threads: Int
    /// Positions the KV cache holds; nil means the model's limit, capped at `defaultContextCap`.
    public var contextLength: Int?
    /// Tokens per forward pass during prompt processing and evaluation (llama.cpp's n_ubatch).
    public var batchSize: Int
    /// Which kernel implementation runs; nil picks the best the CPU supports.
    public var kernelPath: KernelPath?
    /// TL1/TL2 tile parameters to use instead of those from the file's metadata (`--tl2-config`).
    public var tileConfigurations: TileConfigurationTable?
    /// Refuse to load when the estimated memory exceeds what the machine has available.
    public var checkMemory: Bool
    /// Available bytes to plan against (tests); nil reads MemAvailable from /proc/meminfo.
    public var availableMemoryBytes: Int?

    /// The context used when none is given and the model allows more (llama.cpp's default n_ctx).
    public static let defaultContextCap = 4096

    /// Options with llama.cpp-like defaults: 1 thread, batch 512, the model's context up to 4096.
    public init(threads: Int = 1, contextLength: Int? = nil, batchSize: Int = 512, kernelPath: KernelPath? = nil,
                tileConfigurations: TileConfigurationTable? = nil, checkMemory: Bool = true,
                availableMemoryBytes: Int? = nil) {
        self.threads = threads
        self.contextLength = contextLength
        self.batchSize = batchSize
        self.kernelPath = kernelPath
        self.tileConfigurations = tileConfigurations
        self.checkMemory = checkMemory
        self.availableMemoryBytes = availableMemoryBytes
    }
}

/// The phases a session times and reports to its hooks.
public enum GenerationPhase: String, Sendable, Codable {
    /// Prompt processing (pp): the prompt's tokens in batches.
    case promptProcessing
    /// Text generation (tg): one token per forward pass.
    case generation
}

/// Closures called around each phase, e.g. by the harness to start and stop its probes.
public struct PhaseHooks {
    /// Called just before a phase starts.
    public var willBegin: ((GenerationPhase) -> Void)?
    /// Called just after a phase ends, with the tokens it processed or produced.
    public var didEnd: ((GenerationPhase, Int) -> Void)?

    /// Hooks that do nothing.
    public init(willBegin: ((GenerationPhase) -> Void)? = nil, didEnd: ((GenerationPhase, Int) -> Void)? = nil) {
        self.willBegin = willBegin
        self.didEnd = didEnd
    }
}

/// What `generate` did, with llama.cpp-style timings.
public struct GenerationResult: Sendable, Equatable {
    /// Why generation stopped.
    public enum StopReason: String, Sendable, Codable {
        case maxTokens, endOfGeneration, contextFull, stoppedByCaller
    }
    /// Tokens of the prompt that were processed.
    public var promptTokenCount: Int
    /// The tokens generated, in order (an end-of-generation token is included).
    public var generatedTokens: [Int]
    /// Wall time of prompt processing.
    public var promptNanoseconds: UInt64
    /// Wall time of generation: sampling and one forward pass per token after the first.
    public var generationNanoseconds: UInt64
    /// Forward passes (decode runs) inside `generationNanoseconds`: one per token after the
    /// first, whose logits came from prompt processing (llama.cpp's "runs").
    public var decodeRuns: Int
    /// Why it stopped.
    public var stopReason: StopReason

    /// Prompt tokens per second (nil when nothing was timed).
    public var promptTokensPerSecond: Double? {
        promptNanoseconds > 0 ? Double(promptTokenCount) / (Double(promptNanoseconds) / 1e9) : nil
    }
    /// Generation speed in decode runs per second; nil when no decode step ran (a single
    /// generated token costs only sampling, which is no generation speed).
    public var generationTokensPerSecond: Double? {
        generationNanoseconds > 0 && decodeRuns > 0
            ? Double(decodeRuns) / (Double(generationNanoseconds) / 1e9) : nil
    }
}
