/// Adds up what a run will allocate (weights, KV cache, activations, per-thread scratch) before
/// anything is allocated, compares it with MemAvailable minus a headroom, and when it does not
/// fit, says which option would: `--fit-memory` / `--alias-layers K`, a smaller `-c`, a smaller type.
public struct MemoryPlanner: Sendable {
    /// Where the available memory comes from (default: /proc/meminfo; tests inject numbers).
    public var memory: @Sendable () throws -> SystemMemory
    /// Bytes kept free for the OS and other processes; nil means max(512 MiB, 5% of MemTotal).
    public var headroomBytes: Int?

    /// Makes a planner reading /proc/meminfo, or the given source.
    public init(headroomBytes: Int? = nil,
                memory: @escaping @Sendable () throws -> SystemMemory = { try SystemMemory.read() }) {
        self.memory = memory
        self.headroomBytes = headroomBytes
    }

    /// Plans a run. Throws on invalid input or unreadable meminfo, never allocates.
    public func plan(_ input: MemoryPlanInput) throws -> MemoryPlan {
        try input.validate()
        let system = try memory()
        let headroom = headroomBytes ?? max(512 << 20, system.total / 20)
        var plan = MemoryPlan(
            input: input,
            weights: input.weightBytes,
            kvCache: Self.kvCacheBytes(input, context: input.context),
            activations: Self.activationBytes(input, context: input.context),
            scratch: Self.scratchBytes(input),
            available: system.available,
            headroom: headroom,
            suggestions: [])
        if !plan.fits {
            plan.suggestions = suggestions(for: plan)
        }
        return plan
    }

    /// KV cache bytes: K and V, for every layer, every position, every KV head.
    public static func kvCacheBytes(_ input: MemoryPlanInput, context: Int) -> Int {
        2 * input.layers * context * input.kvHeads * input.headDim * input.kvBytesPerElement
    }

    /// Activation bytes for one forward pass of `batch` tokens (f32 unless noted):
    /// residual, normed input, attention output and its sub-norm (4 x n_embd); q, k, v;
    /// attention scores (heads x context); gate, up and their product (3 x n_ff); logits (vocab);
    /// plus the int8 copy of the widest input row with its scale and sum.
    public static func activationBytes(_ input: MemoryPlanInput, context: Int) -> Int {
        let floatsPerToken = 4 * input.embedding
            + input.heads * input.headDim + 2 * input.kvHeads * input.headDim
            + input.heads * context
            + 3 * input.ffn
            + input.vocab
        let int8PerToken = max(input.embedding, input.ffn) + 8
        return input.batch * (4 * floatsPerToken + int8PerToken)
    }

    /// Per-thread scratch: a partial-sum row as wide as the widest output (f32), and a TL1/TL2
    /// lookup table for the widest input row (32 bytes per 3 columns, bitnet.cpp's LUT layout,
    /// FORMATS.md 2.3.7), plus 64 KiB of small buffers.
    public static func scratchBytes(_ input: MemoryPlanInput) -> Int {
        let widestOutput = max(input.embedding, input.ffn, input.vocab)
        let widestInput = max(input.embedding, input.ffn)
        let perThread = 4 * widestOutput + (widestInput + 2) / 3 * 32 + (64 << 10)
        return input.threads * perThread
    }

    /// The largest number of distinct layers K (1...layers) whose weights fit with everything else,
    /// or nil when not even one layer fits or the input lacks the per-layer bytes.
    public func largestAliasCount(_ input: MemoryPlanInput) throws -> Int? {
        try input.validate()
        guard let layerBytes = input.layerWeightBytes, let fixedWeights = input.nonLayerWeightBytes,
              layerBytes > 0 else { return nil }
        let system = try memory()
        let headroom = headroomBytes ?? max(512 << 20, system.total / 20)
        let budget = system.available - headroom
        let others = Self.kvCacheBytes(input, context: input.context)
            + Self.activationBytes(input, context: input.context) + Self.scratchBytes(input)
        let room = budget - others - fixedWeights
        guard room >= layerBytes else { return nil }
        return min(input.layers, room / layerBytes)
    }

    /// The options that would make `plan` fit, each as a phrase naming the flag.
    private func suggestions(for plan: MemoryPlan) -> [String] {
        let input = plan.input
        var result: [String] = []
        let nonWeights = plan.kvCache + plan.activations + plan.scratch

        if input.canAliasLayers, let layerBytes = input.layerWeightBytes, let fixed = input.nonLayerWeightBytes,
           layerBytes > 0 {
            let room = plan.budget - nonWeights - fixed
            if room >= layerBytes {
                let k = min(input.layers, room / layerBytes)
                result.append("--fit-memory, or --alias-layers \(k) (or fewer): \(k) distinct of \(input.layers) layers, "
                              + "weights \(MemoryPlan.gibString(fixed + k * layerBytes))")
            }
        }

        // Context: the KV cache and the attention scores grow linearly with it.
        let perPosition = 2 * input.layers * input.kvHeads * input.headDim * input.kvBytesPerElement
            + input.batch * 4 * input.heads
        let contextFree = plan.total - plan.kvCache
            - (Self.activationBytes(input, context: input.context) - Self.activationBytes(input, context: 0))
        let room = plan.budget - contextFree
        if perPosition > 0, room > 0 {
            var maxContext = room / perPosition
            if maxContext >= 256 { maxContext -= maxContext % 256 }
            if maxContext >= 1, maxContext < input.context {
                result.append("-c \(maxContext) (KV cache \(MemoryPlan.gibString(Self.kvCacheBytes(input, context: maxContext))))")
            }
        }

        // A smaller weight type, smallest first.
        for alternative in input.alternatives.sorted(by: { $0.weightBytes < $1.weightBytes })
        where alternative.weightBytes < input.weightBytes
            && alternative.weightBytes + nonWeights <= plan.budget {
            result.append("--type \(alternative.name) (weights \(MemoryPlan.gibString(alternative.weightBytes)))")
        }
        return result
    }
}
