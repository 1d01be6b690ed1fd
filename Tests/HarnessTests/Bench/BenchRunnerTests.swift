import Foundation
import Harness
import Kernels
import Measurement
import Synthetic
import Testing

/// A perf_event_open that refuses every event, as on a machine without a PMU or permission.
private struct RefusingPerfEvents: PerfEventSystem {
    func open(_ encoding: PerfEventEncoding, options: PerfOpenOptions, pid: Int32, cpu: Int32, groupFD: Int32) throws -> Int32 {
        throw SystemError("perf_event_open", errno: EACCES)
    }
    func eventID(_ fd: Int32) throws -> UInt64 { 0 }
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int { 0 }
    func enableGroup(_ fd: Int32) throws {}
    func disableGroup(_ fd: Int32) throws {}
    func close(_ fd: Int32) {}
}

@Suite("Bench runner", .serialized)
struct BenchRunnerTests {
    static let tiny = SyntheticModelSpec(shape: ModelShape(name: "tiny", hidden: 256, ffn: 512, layers: 2, heads: 4, contextLength: 256),
                                         weightType: .i2_s)

    static func sweep(formats: [WeightFormatID] = [.i2_s, .f16], threads: [Int] = [1, 2]) -> BenchSweep {
        BenchSweep(models: [.synthetic(tiny)], formats: formats, threads: threads, batchSizes: [8],
                   promptSizes: [16], generationSizes: [4], generationPromptTokens: 2)
    }

    static func options(counters: [String] = [], energy: EnergySelection? = nil) -> BenchRunner.Options {
        var options = BenchRunner.Options()
        options.repetitions = 2
        options.warmups = 1
        options.counterNames = counters
        options.energy = energy
        options.numaNodeCount = 1
        return options
    }

    @Test("a tiny synthetic sweep gives a record per plan point with tokens, speeds, shares summing to 1 and x F16")
    func endToEnd() throws {
        let plan = try BenchPlan(Self.sweep())
        let result = try BenchRunner(options: Self.options(counters: ["task-clock", "cycles"], energy: .auto)).run(plan)
        #expect(result.records.count == plan.points.count)
        #expect(plan.points.count == 2 * 2 * 2)
        for (record, point) in zip(result.records, plan.points) {
            #expect(record.format == point.format?.rawValue)
            #expect(record.threads == point.threads)
            #expect(record.test == point.test)
            #expect(record.tokens == point.test.tokens)  // pp: prompt tokens; tg: decode runs
            #expect(record.tokensPerSecond.count == 2)
            #expect(record.tokensPerSecond.min > 0)
            #expect(abs(record.shares.shares.reduce(0, +) - 1) < 1e-9)
            #expect(record.shares.shares.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(record.shares[.matmul] > 0)
            #expect(record.weightBytes > 0 && record.parameters > 0)
            if point.test.kind == .tg { #expect(record.shares[.sampling] > 0) }
            if record.format == "f16" { #expect(record.vsF16.value == 1) } else { #expect(record.vsF16.value ?? 0 > 0) }
            #expect(record.numaNote == "one NUMA node")
            // Counters: a value, or unavailable with a reason — never a made-up 0.
            #expect(record.counters.map(\.name) == ["task-clock", "cycles"])
            for counter in record.counters {
                if let value = counter.value.value { #expect(value > 0) } else { #expect(!(counter.value.reason ?? "").isEmpty) }
            }
            if let joules = record.energy.joules.value {
                #expect(joules > 0)
                #expect(record.energy.method != .none)
            } else {
                #expect(!(record.energy.joules.reason ?? "").isEmpty)
            }
        }
        // Every printer carries every record.
        let jsonl = try BenchReport.render(result, as: .jsonl)
        #expect(jsonl.split(separator: "\n").count == result.records.count)
        let md = try BenchReport.render(result, as: .md)
        #expect(md.contains("| tiny | i2_s |") && md.contains("| tiny | f16 |"))
    }

    @Test("counters that cannot be opened are unavailable with the reason, null in JSON, not 0")
    func unavailableCounters() throws {
        var options = Self.options(counters: ["task-clock", "cycles"])
        options.perfSystem = RefusingPerfEvents()
        let result = try BenchRunner(options: options).run(try BenchPlan(Self.sweep(formats: [.i2_s], threads: [2])))
        #expect(result.records.count == 2)
        for record in result.records {
            for counter in record.counters {
                #expect(counter.value.value == nil)
                #expect(counter.value.reason?.contains("EACCES") == true)
            }
            #expect(record.energy.joules.reason == "energy not requested (--energy off)")
        }
        let line = try #require(try BenchReport.render(result, as: .jsonl).split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["counter[task-clock]"] is NSNull)
        let reasons = try #require(object["unavailable"] as? [String: String])
        #expect(reasons["counter[cycles]"]?.contains("EACCES") == true)
    }

    @Test("a model that does not fit is refused before anything is made, naming the model and the size")
    func memoryRefusal() throws {
        var options = Self.options()
        options.availableMemoryBytes = 1 << 20
        let plan = try BenchPlan(Self.sweep(formats: [.f16], threads: [1]))
        do {
            _ = try BenchRunner(options: options).run(plan)
            Issue.record("a 1 MiB budget was accepted")
        } catch let error as BenchError {
            guard case .doesNotFit(let model, let detail) = error else { Issue.record("unexpected \(error)"); return }
            #expect(model == "synthetic tiny f16")
            #expect(detail.contains("GiB"))
            #expect(error.description.hasPrefix("synthetic tiny f16: the model does not fit in memory"))
        }
    }

    @Test("tests longer than the model's context are refused, naming the sizes")
    func contextRefusal() throws {
        var sweep = Self.sweep(formats: [.i2_s], threads: [1])
        sweep.promptSizes = [512]
        #expect(throws: BenchError.contextTooLong(model: "synthetic tiny i2_s", needed: 512, limit: 256)) {
            try BenchRunner(options: Self.options()).run(try BenchPlan(sweep))
        }
    }

    @Test("layouts other than local are refused on a multi-node machine; bad repetition counts are refused")
    func refusals() throws {
        var options = Self.options()
        options.numaNodeCount = 2
        var sweep = Self.sweep(formats: [.i2_s], threads: [1])
        sweep.numaLayouts = [.interleave(nil)]
        #expect(throws: BenchError.self) { try BenchRunner(options: options).run(try BenchPlan(sweep)) }
        var bad = Self.options()
        bad.repetitions = 0
        #expect(throws: BenchFlagError.self) { try BenchRunner(options: bad) }
    }
}
