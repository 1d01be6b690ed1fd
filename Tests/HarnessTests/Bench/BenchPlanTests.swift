import Harness
import Kernels
import Measurement
import Synthetic
import Testing

@Suite("Bench plan")
struct BenchPlanTests {
    static func spec(_ name: String) -> SyntheticModelSpec {
        SyntheticModelSpec(shape: ModelShape(name: name, hidden: 256, ffn: 512, layers: 2, heads: 4), weightType: .i2_s)
    }

    @Test("the cartesian product in order: model, format, layout, threads, batch, then pp before tg")
    func order() throws {
        let sweep = BenchSweep(models: [.synthetic(Self.spec("a")), .synthetic(Self.spec("b"))], formats: [.i2_s, .f16],
                               numaLayouts: [.local, .interleave(nil)], threads: [1, 2], batchSizes: [32],
                               promptSizes: [64, 0], generationSizes: [16, 8])
        let plan = try BenchPlan(sweep)
        #expect(plan.points.count == 2 * 2 * 2 * 2 * 1 * 3)
        #expect(sweep.tests.map(\.name) == ["pp64", "tg16", "tg8"])
        let first = plan.points[0]
        #expect(first.modelIndex == 0 && first.format == .i2_s && first.numa == .local && first.threads == 1)
        #expect(plan.points[0..<3].map(\.test.name) == ["pp64", "tg16", "tg8"])
        #expect(plan.points[3].threads == 2 && plan.points[3].numa == .local)
        #expect(plan.points[6].numa == .interleave(nil))
        #expect(plan.points[12].format == .f16 && plan.points[12].modelIndex == 0)
        #expect(plan.points[24].modelIndex == 1)
        // Each model and format's points are contiguous, so each is made once.
        var seen: [String] = []
        for p in plan.points {
            let key = "\(p.modelIndex)-\(p.format?.rawValue ?? "")"
            if seen.last != key { #expect(!seen.contains(key)); seen.append(key) }
        }
        #expect(sweep.contextNeeded == 64)
    }

    @Test("files run in their own type: one format slot, no -k")
    func files() throws {
        let plan = try BenchPlan(BenchSweep(models: [.file(path: "m.gguf")], formats: [], threads: [1], promptSizes: [8], generationSizes: [4]))
        #expect(plan.points.map(\.format) == [nil, nil])
        #expect(throws: BenchFlagError.self) {
            try BenchPlan(BenchSweep(models: [.file(path: "m.gguf")], formats: [.i2_s], threads: [1], promptSizes: [8], generationSizes: [4]))
        }
    }

    @Test("empty or zero sweeps are refused with the flag named")
    func refusals() {
        let model = BenchModel.synthetic(Self.spec("a"))
        let cases: [(BenchSweep, String)] = [
            (BenchSweep(models: [], formats: [.i2_s], threads: [1], promptSizes: [8], generationSizes: [4]), "-m/--synthetic"),
            (BenchSweep(models: [model], formats: [], threads: [1], promptSizes: [8], generationSizes: [4]), "-k"),
            (BenchSweep(models: [model], formats: [.i2_s], threads: [0], promptSizes: [8], generationSizes: [4]), "-t"),
            (BenchSweep(models: [model], formats: [.i2_s], threads: [1], promptSizes: [0], generationSizes: [0]), "-p/-n"),
            (BenchSweep(models: [model], formats: [.i2_s], threads: [1], batchSizes: [0], promptSizes: [8], generationSizes: [4]), "-b"),
        ]
        for (sweep, flag) in cases {
            do {
                _ = try BenchPlan(sweep)
                Issue.record("accepted a sweep that should name \(flag)")
            } catch let error as BenchFlagError {
                #expect(error.flag == flag)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
