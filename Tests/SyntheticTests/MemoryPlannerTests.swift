import Engine
import Testing

/// The memory planner: part sizes, the verdict, and the options named in a refusal.
@Suite struct MemoryPlannerTests {
    static let gib = 1 << 30

    /// 100B shape (MODELS.md): 72 layers, 8192 hidden, 45568 ffn, 64 heads of 128.
    func input100B(weightBytes: Int, layerBytes: Int? = nil, context: Int = 2048,
                   alternatives: [MemoryPlanAlternative] = []) -> MemoryPlanInput {
        MemoryPlanInput(layers: 72, embedding: 8192, ffn: 45568, heads: 64, kvHeads: 64, headDim: 128,
                        vocab: 1000, context: context, batch: 1, threads: 2, weightBytes: weightBytes,
                        kvBytesPerElement: 2, layerWeightBytes: layerBytes, nonLayerWeightBytes: 20 << 20,
                        canAliasLayers: layerBytes != nil, alternatives: alternatives)
    }

    func planner(availableGiB: Int) -> MemoryPlanner {
        MemoryPlanner(headroomBytes: 1 << 30) {
            SystemMemory(available: availableGiB * (1 << 30), total: 24 * (1 << 30))
        }
    }

    @Test func kvCacheIsTwoTimesLayersContextKvDimElementSize() throws {
        let plan = try planner(availableGiB: 20).plan(input100B(weightBytes: 1 << 30))
        #expect(plan.kvCache == 2 * 72 * 2048 * 64 * 128 * 2)
        #expect(plan.total == plan.weights + plan.kvCache + plan.activations + plan.scratch)
        #expect(plan.activations > 0 && plan.scratch > 0)
    }

    @Test func smallModelFits() throws {
        let plan = try planner(availableGiB: 20).plan(input100B(weightBytes: 2 << 30))
        #expect(plan.fits)
        #expect(plan.verdict == .fits)
        #expect(plan.suggestions.isEmpty)
    }

    @Test func f16OneHundredBIsRefusedWithSizesAndAliasAdvice() throws {
        let layerBytes = (4 * 8192 * 8192 + 3 * 8192 * 45568) * 2   // F16 linear weights of one block
        let weights = 72 * layerBytes + (20 << 20)
        let plan = try planner(availableGiB: 22).plan(input100B(
            weightBytes: weights, layerBytes: layerBytes,
            alternatives: [MemoryPlanAlternative(name: "i2_s", weightBytes: weights / 8)]))
        #expect(!plan.fits)
        guard case .refused(let text) = plan.verdict else {
            Issue.record("expected a refusal")
            return
        }
        #expect(text.contains(MemoryPlan.gibString(plan.total)))
        #expect(text.contains("21.00 GiB"))   // 22 GiB available minus 1 GiB headroom
        #expect(text.contains("--alias-layers"))
        #expect(text.contains("--fit-memory"))
        // i2_s weights (about 23 GiB) would still not fit in 21 GiB: not suggested.
        #expect(!text.contains("--type i2_s"))
    }

    @Test func largestAliasCountFillsTheBudget() throws {
        let layerBytes = 347 << 20
        let p = planner(availableGiB: 16)
        let input = input100B(weightBytes: 72 * layerBytes, layerBytes: layerBytes)
        let k = try #require(try p.largestAliasCount(input))
        var aliased = input
        aliased.weightBytes = (20 << 20) + k * layerBytes
        #expect(try p.plan(aliased).fits)
        aliased.weightBytes += layerBytes
        #expect(try !p.plan(aliased).fits)
    }

    @Test func hugeContextSuggestsSmallerContext() throws {
        let plan = try planner(availableGiB: 8).plan(input100B(weightBytes: 1 << 30, context: 1 << 20))
        #expect(!plan.fits)
        let c = try #require(plan.suggestions.first(where: { $0.hasPrefix("-c ") }))
        let value = try #require(Int(c.dropFirst(3).split(separator: " ")[0]))
        var smaller = input100B(weightBytes: 1 << 30, context: value)
        smaller.context = value
        #expect(try planner(availableGiB: 8).plan(smaller).fits)
    }

    @Test func smallerTypeIsSuggestedWhenItFits() throws {
        let plan = try planner(availableGiB: 10).plan(input100B(
            weightBytes: 20 << 30, alternatives: [MemoryPlanAlternative(name: "i2_s", weightBytes: 3 << 30),
                                                   MemoryPlanAlternative(name: "q4_0", weightBytes: 12 << 30)]))
        #expect(plan.suggestions.contains(where: { $0.hasPrefix("--type i2_s") }))
        #expect(!plan.suggestions.contains(where: { $0.hasPrefix("--type q4_0") }))
    }

    @Test func invalidInputNamesTheField() {
        var bad = input100B(weightBytes: 1)
        bad.threads = 0
        #expect(throws: MemoryPlanError.invalidInput(field: "threads", value: 0, expected: "a positive number")) {
            try planner(availableGiB: 8).plan(bad)
        }
    }

    @Test func meminfoParsing() throws {
        let text = "MemTotal:       24684084 kB\nMemFree:         1000 kB\nMemAvailable:   24313140 kB\n"
        let m = try SystemMemory.parse(text)
        #expect(m.total == 24684084 * 1024)
        #expect(m.available == 24313140 * 1024)
        #expect(throws: MemoryPlanError.self) { try SystemMemory.parse("nothing here") }
        let live = try SystemMemory.read()
        #expect(live.total > 0 && live.available > 0 && live.available <= live.total)
    }

    @Test func gibFormatting() {
        #expect(MemoryPlan.gibString(1 << 30) == "1.00 GiB")
        #expect(MemoryPlan.gibString(3 * (1 << 29)) == "1.50 GiB")
        #expect(MemoryPlan.gibString(Int(23.31 * Double(1 << 30))) == "23.31 GiB")
    }
}
