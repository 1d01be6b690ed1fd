import GGUF
import Kernels

/// A loaded model ready to run: weights bound to kernels, a KV cache, a worker pool. The
/// library API the CLI and the harness drive: process a prompt in batches, decode one token,
/// evaluate a sequence (teacher forcing), generate with a sampler, with hooks around phases.
public final class InferenceSession {
    /// The model's hyperparameters.
    public let config: ModelConfig
    /// The bound weights.
    public let weights: ModelWeights
    /// Positions the KV cache holds.
    public let contextLength: Int
    /// Tokens per forward pass for prompts and evaluation.
    public let batchSize: Int
    /// The kernel path in use.
    public let kernelPath: KernelPath
    /// Worker threads.
    public let threads: Int
    /// Wall time of loading: binding and preparing weights, allocating the cache.
    public let loadNanoseconds: UInt64
    /// The memory plan that was checked before loading (nil when the check was turned off).
    public let memoryPlan: MemoryPlan?
    /// Positions filled in the KV cache (the next token goes here).
    public private(set) var position = 0
    /// Kernel thread ids of the worker pool's own threads (the calling thread is worker 0 and not
    /// listed), for per-thread perf counters.
    public var workerThreadIDs: [Int32] { pool.workerThreadIDs }
    /// Closures called around prompt processing and generation.
    public var hooks = PhaseHooks()

    private let pool: WorkerPool
    private let transformer: Transformer
    private var samplingNanoseconds: UInt64 = 0

    /// Loads a model from any tensor source: checks the context against the model's limit and
    /// the memory against what is available before allocating, then binds the weights.
    public init(source: TensorSource, options: SessionOptions = SessionOptions()) throws {
        let start = MonotonicClock.now()
        let config = try ModelConfig(source: source)
        guard options.threads >= 1 else {
            throw ModelError.invalidOption("threads must be at least 1, got \(options.threads)")
        }
        guard options.batchSize >= 1 else {
            throw ModelError.invalidOption("batch size must be at least 1, got \(options.batchSize)")
        }
        let context = options.contextLength ?? min(config.contextLength, SessionOptions.defaultContextCap)
        guard context >= 1 else {
            throw ModelError.invalidOption("context length must be at least 1, got \(context)")
        }
        guard context <= config.contextLength else {
            throw ModelError.contextTooLong(requested: context, limit: config.contextLength)
        }
        let batch = min(options.batchSize, context)
        // A mapped file's tensors are paged in by the run; an in-memory source's are already resident
        // (and were planned when it was made).
        let weightBytes = source is GGUFFile ? source.tensorInfos.reduce(0) { $0 + $1.byteCount } : 0
        let input = MemoryPlanInput(layers: config.layerCount, embedding: config.embeddingLength,
                                    ffn: config.feedForwardLength, heads: config.headCount, kvHeads: config.kvHeadCount,
                                    headDim: config.headDimension, vocab: config.vocabularySize, context: context,
                                    batch: batch, threads: options.threads, weightBytes: weightBytes, kvBytesPerElement: 2)
        var plan: MemoryPlan?
        if options.checkMemory {
            let planner: MemoryPlanner
            if let available = options.availableMemoryBytes {
                planner = MemoryPlanner(memory: { SystemMemory(available: available, total: available) })
            } else {
                planner = MemoryPlanner()
            }
            let checked = try planner.plan(input)
            guard checked.fits else { throw ModelError.insufficientMemory(checked.refusalText) }
            plan = checked
        }
        let path = try KernelPath.resolve(options.kernelPath)
        // TL1/TL2 tiles: the file's own keys, overridden by --tl2-config; bitnet.cpp's presets
        // cover the remaining known shapes when the weights are bound.
        let stored: TileConfigurationTable
        do {
            stored = try TileConfigurationTable(metadata: source.metadata)
        } catch {
            throw ModelError.invalidOption("\(source.sourceLabel): \(error)")
        }
        let tiles = stored.merging(options.tileConfigurations ?? TileConfigurationTable())
        let weights = try ModelWeights(source: source, config: config, path: path, tiles: tiles)
        let pool = WorkerPool(threadCount: options.threads)

        self.config = config
        self.weights = weights
        self.contextLength = context
        self.batchSize = batch
        self.kernelPath = path
        self.threads = options.threads
        self.memoryPlan = plan
        self.pool = pool
        self.transformer = Transformer(weights: weights, capacity: context, batch: batch, pool: pool, path: path,
                                       frequencyFactors: weights.ropeFrequencyFactors)
        self.loadNanoseconds = MonotonicClock.now() &- start
    }

    /// Opens a GGUF file and loads it.
    public convenience init(path: String, options: SessionOptions = SessionOptions()) throws {
        try self.init(source: try GGUFFile(path: path), options: options)
    }

    // MARK: Running

    /// Forgets the context: the next token goes to position 0.
    public func reset() { position = 0 }

    /// Where the time went since the session started (or since `resetBreakdown`).
    public var breakdown: TimeBreakdown {
        var b = transformer.breakdown
        b.add(.sampling, nanoseconds: samplingNanoseconds)
        return b
    }

    /// Zeroes the time breakdown.
    public func resetBreakdown() {
        transformer.breakdown = TimeBreakdown()
        samplingNanoseconds = 0
    }

    /// Runs the prompt through the model in batches of `batchSize` (the hooks see one
    /// prompt-processing phase) and returns the logits after its last token.
    public func processPrompt(_ tokens: [Int]) throws -> [Float] {
        guard !tokens.isEmpty else { throw ModelError.invalidOption("the prompt has no tokens") }
        hooks.willBegin?(.promptProcessing)
        try run(tokens)
        hooks.didEnd?(.promptProcessing, tokens.count)
        return lastLogitsArray()
    }

    /// Runs one token (batch 1, GEMV) and returns the logits after it.
    public func decode(_ token: Int) throws -> [Float] {
        try run([token])
        return lastLogitsArray()
    }

    /// Teacher forcing: runs `tokens` in batches and hands the logits after each one to `body`
    /// as (index in tokens, logits). Results do not depend on the batch size.
    public func evaluate(_ tokens: [Int], _ body: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        guard !tokens.isEmpty else { throw ModelError.invalidOption("nothing to evaluate: no tokens") }
        try run(tokens, everyPosition: true, body)
    }

    /// Processes `prompt`, then produces up to `maxTokens` tokens: `next` picks a token from the
    /// logits and the history (a sampler), `isEndOfGeneration` stops after such a token,
    /// `onToken` sees each token as it comes and may return false to stop.
    public func generate(prompt: [Int], maxTokens: Int,
                         next: (UnsafeBufferPointer<Float>, [Int]) -> Int,
                         isEndOfGeneration: (Int) -> Bool = { _ in false },
                         onToken: (Int) -> Bool = { _ in true }) throws -> GenerationResult {
        let promptStart = MonotonicClock.now()
        _ = try processPrompt(prompt)
        let promptNanoseconds = MonotonicClock.now() &- promptStart
        var history = prompt
        var generated: [Int] = []
        var reason = GenerationResult.StopReason.maxTokens
        var decodeRuns = 0
        hooks.willBegin?(.generation)
        let start = MonotonicClock.now()
        while generated.count < maxTokens {
            let sampleStart = MonotonicClock.now()
            let token = next(UnsafeBufferPointer(start: transformer.state.logits, count: config.vocabularySize), history)
            samplingNanoseconds &+= MonotonicClock.now() &- sampleStart
            generated.append(token)
            history.append(token)
            if !onToken(token) { reason = .stoppedByCaller; break }
            if isEndOfGeneration(token) { reason = .endOfGeneration; break }
            if generated.count == maxTokens { break }
            if position >= contextLength { reason = .contextFull; break }
            try run([token])
            decodeRuns += 1
        }
        let generationNanoseconds = MonotonicClock.now() &- start
        hooks.didEnd?(.generation, generated.count)
        return GenerationResult(promptTokenCount: prompt.count, generatedTokens: generated,
                                promptNanoseconds: promptNanoseconds, generationNanoseconds: generationNanoseconds,
                                decodeRuns: decodeRuns, stopReason: reason)
    }

    // MARK: Internals

    private func lastLogitsArray() -> [Float] {
        Array(UnsafeBufferPointer(start: transformer.state.logits, count: config.vocabularySize))
    }

    /// Runs tokens from the current position in batches; computes the logits of the last token
    /// (into row 0 of the logits buffer), or of every token when `body` is given.
    private func run(_ tokens: [Int], everyPosition: Bool = false,
                     _ body: (Int, UnsafeBufferPointer<Float>) throws -> Void = { _, _ in }) throws {
        guard position + tokens.count <= contextLength else {
            throw ModelError.contextFull(needed: position + tokens.count, capacity: contextLength)
        }
        for token in tokens where token < 0 || token >= config.vocabularySize {
            throw ModelError.tokenOutOfRange(token: token, vocabularySize: config.vocabularySize)
        }
        let vocab = config.vocabularySize
        try tokens.withUnsafeBufferPointer { all in
            var done = 0
            while done < all.count {
                let count = min(batchSize, all.count - done)
                let chunk = UnsafeBufferPointer(rebasing: all[done..<(done + count)])
                try transformer.forwardBlocks(chunk, startPosition: position)
                position += count
                if everyPosition {
                    var row = 0
                    while row < count {
                        let rows = min(transformer.state.logitRows, count - row)
                        transformer.computeLogits(rows: row..<(row + rows))
                        for i in 0..<rows {
                            try body(done + row + i, UnsafeBufferPointer(start: transformer.state.logits + i * vocab, count: vocab))
                        }
                        row += rows
                    }
                } else if done + count == all.count {
                    transformer.computeLogits(rows: (count - 1)..<count)
                }
                done += count
            }
        }
    }
}
