import Kernels
import Measurement

/// What `bitbench bench` sweeps: every list flag, already parsed. The plan is their cartesian
/// product; empty `formats` means each file's own weight type (files only).
public struct BenchSweep: Sendable, Equatable {
    /// Models, outermost loop.
    public var models: [BenchModel]
    /// Weight types for synthetic models (`-k`).
    public var formats: [WeightFormatID]
    /// NUMA layouts (`--numa`).
    public var numaLayouts: [NUMALayout]
    /// Worker threads (`-t`).
    public var threads: [Int]
    /// Prompt batch sizes (`-b`, llama.cpp's n_ubatch).
    public var batchSizes: [Int]
    /// pp test sizes (`-p`); 0 entries are dropped, as in llama-bench.
    public var promptSizes: [Int]
    /// tg test sizes (`-n`); 0 entries are dropped.
    public var generationSizes: [Int]
    /// Tokens of the prompt processed before each tg test (not timed).
    public var generationPromptTokens: Int

    /// Makes a sweep.
    public init(models: [BenchModel], formats: [WeightFormatID], numaLayouts: [NUMALayout] = [.local],
                threads: [Int], batchSizes: [Int] = [512], promptSizes: [Int], generationSizes: [Int],
                generationPromptTokens: Int = 1) {
        self.models = models
        self.formats = formats
        self.numaLayouts = numaLayouts
        self.threads = threads
        self.batchSizes = batchSizes
        self.promptSizes = promptSizes
        self.generationSizes = generationSizes
        self.generationPromptTokens = generationPromptTokens
    }

    /// The tests in order: every pp size, then every tg size, zeros dropped.
    public var tests: [BenchTest] {
        promptSizes.filter { $0 > 0 }.map { BenchTest(kind: .pp, tokens: $0) }
            + generationSizes.filter { $0 > 0 }.map { BenchTest(kind: .tg, tokens: $0) }
    }

    /// KV-cache positions the largest test needs: a pp prompt, or the tg prompt plus its decode runs.
    public var contextNeeded: Int {
        tests.map { $0.kind == .pp ? $0.tokens : generationPromptTokens + $0.tokens }.max() ?? 1
    }

    /// Checks the sweep can run; the error names the flag.
    public func validate() throws {
        guard !models.isEmpty else {
            throw BenchFlagError(flag: "-m/--synthetic", text: "", expected: "at least one model file or synthetic preset")
        }
        if models.contains(where: \.isFile) && !formats.isEmpty {
            throw BenchFlagError(flag: "-k", text: formats.map(\.rawValue).joined(separator: ","),
                                 expected: "no -k with -m: a GGUF file runs in the weight type it holds (-k applies to --synthetic models)")
        }
        if models.contains(where: { !$0.isFile }) && formats.isEmpty {
            throw BenchFlagError(flag: "-k", text: "", expected: "at least one weight type for the synthetic models")
        }
        guard !threads.isEmpty, threads.allSatisfy({ $0 >= 1 }) else {
            throw BenchFlagError(flag: "-t", text: threads.map(String.init).joined(separator: ","), expected: "thread counts of at least 1")
        }
        guard !batchSizes.isEmpty, batchSizes.allSatisfy({ $0 >= 1 }) else {
            throw BenchFlagError(flag: "-b", text: batchSizes.map(String.init).joined(separator: ","), expected: "batch sizes of at least 1")
        }
        guard !numaLayouts.isEmpty else {
            throw BenchFlagError(flag: "--numa", text: "", expected: "at least one layout")
        }
        guard !tests.isEmpty else {
            throw BenchFlagError(flag: "-p/-n", text: "0", expected: "at least one pp or tg test of 1 token or more")
        }
        guard generationPromptTokens >= 1 else {
            throw BenchFlagError(flag: "--tg-prompt", text: "\(generationPromptTokens)", expected: "at least 1 token")
        }
    }
}
