import ArgumentParser
import Foundation
import Harness
import Kernels
import Measurement
import Synthetic

/// `bitbench bench`: end-to-end sweeps like llama-bench — pp and tg tokens/s for every model,
/// weight type, thread count, batch and NUMA layout, with where the time goes, perf counters and
/// energy per phase. Every sweep flag takes a list; integers take ranges (128-1024*2).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "End-to-end benchmark (llama-bench style): pp/tg tokens per second over a sweep.",
        discussion: """
        ppN times processing an N-token prompt in batches; tgN times N decode runs (greedy \
        sampling included) after a --tg-prompt-token prompt. Each (model, type) is made once; each \
        (layout, threads, batch) loads one session for all its tests. Integer lists take ranges: \
        1-4, 1-9+4, 128-1024*2; 0 in -p or -n drops that kind of test.
        Output goes to stdout (-o md|csv|json|jsonl), progress and warnings to stderr. Exit status: \
        0 on success, 1 when a model cannot be loaded or does not fit, 64 for invalid flags.
        """
    )

    @Option(name: .shortAndLong, help: "GGUF model files, comma-separated (each runs in its own weight type; no -k).")
    var model: String?

    @OptionGroup(title: "Synthetic models (--synthetic 700M,3B; instead of or beside -m)") var synthetic: SyntheticOptions

    @Option(name: [.customShort("k"), .customLong("types")], help: "Weight types for synthetic models, e.g. i2_s,tl2,f16 (default i2_s,tl2,f16).")
    var types: String?

    @Option(name: .shortAndLong, help: "Worker threads, a list (default: the online CPUs).")
    var threads: String = "\(ProcessInfo.processInfo.activeProcessorCount)"

    @Option(name: [.customShort("p"), .customLong("n-prompt")], help: "pp test sizes in tokens, a list.")
    var prompt: String = "512"

    @Option(name: [.customShort("n"), .customLong("n-gen")], help: "tg test sizes in tokens, a list.")
    var generate: String = "128"

    @Option(name: [.customShort("b"), .customLong("batch-size")], help: "Tokens per forward pass in prompt processing, a list.")
    var batch: String = "512"

    @Option(name: [.customShort("r"), .customLong("repetitions")], help: "Recorded repetitions per test.")
    var repetitions: Int = 5

    @Option(name: .long, help: "Unrecorded warm-up repetitions per test.")
    var warmup: Int = 1

    @Option(name: .customLong("tg-prompt"), help: "Prompt tokens processed (untimed) before each tg test.")
    var tgPrompt: Int = 1

    @Option(name: .long, help: "NUMA layouts, a list: local, interleave[:nodes], bind:N, replicate.")
    var numa: String = "local"

    @Option(name: .long, help: "perf counters per phase, on the session's threads (names as in bitbench measure); 'none' for none.")
    var counters: String = "task-clock,context-switches,page-faults,cycles,instructions"

    @Option(name: .long, help: "Energy per phase: auto, perf-rapl, sysfs-rapl, msr-rapl, model, or off.")
    var energy: String = "auto"

    @Option(name: .long, help: "Energy-model constants file for --energy model/auto (default: built-in, as data/energy-model.json).")
    var energyConstants: String?

    @Option(name: .long, help: "CPU TDP in watts, for the energy model's static term (without it the estimate leaves that term out and says so).")
    var tdp: Double?

    @Option(name: .shortAndLong, help: "Output: md, csv, json or jsonl.")
    var output: String = "md"

    func validate() throws {
        _ = try sweep()
        _ = try counterNames()
        _ = try energySelection()
        guard BenchReport.Format(rawValue: output) != nil else {
            throw ValidationError("-o/--output: expected md, csv, json or jsonl; found '\(output)'")
        }
        guard repetitions >= 1 else { throw ValidationError("-r: expected at least 1 repetition; found \(repetitions)") }
        guard warmup >= 0 else { throw ValidationError("--warmup: expected 0 or more; found \(warmup)") }
        if let tdp, !(tdp.isFinite && tdp > 0) { throw ValidationError("--tdp: expected a positive number of watts; found \(tdp)") }
    }

    /// The sweep the flags describe; errors name the flag.
    func sweep() throws -> BenchSweep {
        do {
            var models: [BenchModel] = []
            if let model { models += try SweepList.strings(model, flag: "-m").map { .file(path: $0) } }
            if let presets = synthetic.synthetic {
                guard synthetic.shape.type == "i2_s" else {
                    throw ValidationError("--type: bench takes the weight types from -k (e.g. -k \(synthetic.shape.type))")
                }
                for name in try SweepList.strings(presets, flag: "--synthetic") {
                    do {
                        models.append(.synthetic(try synthetic.shape.spec(preset: name, seed: synthetic.syntheticSeed)))
                    } catch let error as ValidationError {
                        throw error
                    } catch {
                        throw ValidationError("--synthetic \(name): \(error)")
                    }
                }
            }
            var formats: [WeightFormatID] = []
            if let types = types ?? (model == nil ? "i2_s,tl2,f16" : nil) {
                formats = try SweepList.strings(types, flag: "-k").map { name in
                    guard let format = WeightFormatID(rawValue: name.lowercased()) else {
                        throw BenchFlagError(flag: "-k", text: types,
                                             expected: "weight types among \(WeightFormatID.allCases.map(\.rawValue).joined(separator: ", ")); found '\(name)'")
                    }
                    return format
                }
            }
            let layouts = try SweepList.strings(numa, flag: "--numa").map { text in
                do { return try NUMALayout.parse(text) } catch {
                    throw BenchFlagError(flag: "--numa", text: numa, expected: "\(error)")
                }
            }
            let sweep = BenchSweep(models: models, formats: formats, numaLayouts: layouts,
                                   threads: try SweepList.integers(threads, flag: "-t", minimum: 1),
                                   batchSizes: try SweepList.integers(batch, flag: "-b", minimum: 1),
                                   promptSizes: try SweepList.integers(prompt, flag: "-p"),
                                   generationSizes: try SweepList.integers(generate, flag: "-n"),
                                   generationPromptTokens: tgPrompt)
            try sweep.validate()
            return sweep
        } catch let error as BenchFlagError {
            throw ValidationError(error.description)
        }
    }

    func counterNames() throws -> [String] {
        let trimmed = counters.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed != "none" else { return [] }
        do { return try EventResolver.parseList(trimmed) } catch {
            throw ValidationError("--counters '\(counters)': \(error)")
        }
    }

    func energySelection() throws -> EnergySelection? {
        if energy == "off" || energy == "none" { return nil }
        guard let selection = EnergySelection(argument: energy) else {
            throw ValidationError("--energy: expected auto, perf-rapl, sysfs-rapl, msr-rapl, model or off; found '\(energy)'")
        }
        return selection
    }

    func run() throws {
        let plan: BenchPlan
        var options = BenchRunner.Options()
        do {
            plan = try BenchPlan(sweep())
            options.counterNames = try counterNames()
            options.energy = try energySelection()
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
        try CommandErrorReporter.run {
            options.repetitions = repetitions
            options.warmups = warmup
            let constants = try energyConstants.map { try EnergyModelConstants.load(path: $0) } ?? .builtIn
            options.energyModel = EnergyModel(constants: constants,
                                              constantsOrigin: energyConstants ?? "built-in (data/energy-model.json)", tdpWatts: tdp)
            options.aliasLayers = synthetic.aliasLayers
            options.fitMemory = synthetic.fitMemory
            options.showProgress = true
            options.log = { StandardError.line($0) }
            let runner: BenchRunner
            do { runner = try BenchRunner(options: options) } catch let error as BenchFlagError {
                throw ValidationError(error.description)
            }
            let result = try runner.run(plan)
            StandardOutput.write(try BenchReport.render(result, as: BenchReport.Format(rawValue: output) ?? .md))
        }
    }
}
