import Measurement

/// One measured row of `bitbench bench`: a model in one weight type, one session setup and one
/// test, with its speed over the repetitions, where the time went, and the probes' figures.
/// `BenchSchema` turns it into fields for every printer.
public struct BenchRecord: Sendable, Equatable {
    /// The model's name (path or preset).
    public var model: String
    /// The engine's label of the source ("synthetic 700M i2_s seed 1").
    public var source: String
    /// Weight type of the projections.
    public var format: String
    /// Bytes of weights held (distinct bytes for aliased models; the file's tensor bytes).
    public var weightBytes: Int
    /// All parameters of the model.
    public var parameters: Int
    /// Worker threads.
    public var threads: Int
    /// Prompt batch size.
    public var batch: Int
    /// NUMA layout as written.
    public var numa: String
    /// What the layout meant on this machine.
    public var numaNote: String?
    /// The test.
    public var test: BenchTest
    /// Kernel path the session ran.
    public var kernelPath: String
    /// Unrecorded repetitions run first.
    public var warmups: Int
    /// Tokens each repetition processed (pp) or decode runs it timed (tg).
    public var tokens: Int
    /// Tokens per second, one sample per repetition.
    public var tokensPerSecond: SampleStatistics
    /// Where the time went, over all repetitions.
    public var shares: PhaseShares
    /// This median over the F16 row's median of the same model, threads, batch, layout and
    /// test in the same run.
    public var vsF16: Known<Double>
    /// Counters of the test's phase, median per repetition.
    public var counters: [ProbeSummary]
    /// Energy of the test's phase.
    public var energy: EnergySummary
    /// 1-minute load average before and after the row.
    public var loadBefore: Double?
    public var loadAfter: Double?

    /// Makes a record.
    public init(model: String, source: String, format: String, weightBytes: Int, parameters: Int, threads: Int,
                batch: Int, numa: String, numaNote: String?, test: BenchTest, kernelPath: String, warmups: Int,
                tokens: Int, tokensPerSecond: SampleStatistics, shares: PhaseShares, vsF16: Known<Double>,
                counters: [ProbeSummary], energy: EnergySummary, loadBefore: Double?, loadAfter: Double?) {
        self.model = model
        self.source = source
        self.format = format
        self.weightBytes = weightBytes
        self.parameters = parameters
        self.threads = threads
        self.batch = batch
        self.numa = numa
        self.numaNote = numaNote
        self.test = test
        self.kernelPath = kernelPath
        self.warmups = warmups
        self.tokens = tokens
        self.tokensPerSecond = tokensPerSecond
        self.shares = shares
        self.vsF16 = vsF16
        self.counters = counters
        self.energy = energy
        self.loadBefore = loadBefore
        self.loadAfter = loadAfter
    }

    /// Milliseconds per token at the median speed.
    public var millisecondsPerToken: Double { 1000 / tokensPerSecond.median }
}
