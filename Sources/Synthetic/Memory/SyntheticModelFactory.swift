import Engine
import GGUF
import Kernels

/// Builds in-memory synthetic models the safe way round: lay the model out, choose the number of
/// distinct blocks (all, `--alias-layers K`, or the most that fit with `--fit-memory`), check the
/// aliasing is honest for this machine's LLC, plan memory, and only then allocate and generate.
public enum SyntheticModelFactory {
    /// What to build and for which run.
    public struct Request: Sendable {
        /// The model.
        public var spec: SyntheticModelSpec
        /// Context length the run sizes its KV cache for.
        public var context: Int
        /// Prompt batch size.
        public var batch: Int
        /// Worker threads (for scratch and for generating the weights).
        public var threads: Int
        /// `--alias-layers K`.
        public var aliasLayers: Int?
        /// `--fit-memory`: alias with the most distinct blocks that fit.
        public var fitMemory: Bool
        /// Draw a progress bar on stderr while generating.
        public var showProgress: Bool
        /// Bytes `--fit-memory` leaves unplanned below the budget: the engine plans its KV cache
        /// again once the weights are resident, against a MemAvailable that moves.
        public var fitMemorySlack = 512 << 20

        /// Makes a request.
        public init(spec: SyntheticModelSpec, context: Int, batch: Int = 512, threads: Int,
                    aliasLayers: Int? = nil, fitMemory: Bool = false, showProgress: Bool = true) {
            self.spec = spec
            self.context = context
            self.batch = batch
            self.threads = threads
            self.aliasLayers = aliasLayers
            self.fitMemory = fitMemory
            self.showProgress = showProgress
        }
    }

    /// The decision before allocation: the layout, the aliasing and the memory plan that fits.
    public struct Decision: Sendable {
        /// The model layout.
        public var layout: SyntheticModelLayout
        /// Distinct blocks and the label.
        public var aliasing: LayerAliasing
        /// The plan that was checked.
        public var plan: MemoryPlan
    }

    /// Decides K and checks memory; throws the planner's refusal or the aliasing refusal.
    public static func decide(_ request: Request, planner: MemoryPlanner = MemoryPlanner(),
                              cache: () throws -> LastLevelCache = { try LastLevelCache.read() }) throws -> Decision {
        let layout = try SyntheticModelLayout(spec: request.spec)
        let layers = request.spec.shape.layers
        var distinct = layers
        if let k = request.aliasLayers {
            distinct = k
        } else if request.fitMemory {
            let full = planInput(layout: layout, distinctLayers: layers, request: request)
            if try planner.plan(full).fits {
                distinct = layers
            } else if var k = try planner.largestAliasCount(full) {
                while k > 1, try planner.plan(planInput(layout: layout, distinctLayers: k, request: request))
                    .slack < request.fitMemorySlack {
                    k -= 1
                }
                distinct = k
            } else {
                throw SyntheticError.doesNotFit(try planner.plan(planInput(layout: layout, distinctLayers: 1,
                                                                           request: request)).refusalText)
            }
        }
        let aliasing = try LayerAliasing(distinctLayers: distinct, layers: layers, layerBytes: layout.layerBytes,
                                         cache: distinct < layers ? try cache() : LastLevelCache(level: 0, bytes: 0))
        let plan = try planner.plan(planInput(layout: layout, distinctLayers: distinct, request: request))
        guard plan.fits else { throw SyntheticError.doesNotFit(plan.refusalText) }
        return Decision(layout: layout, aliasing: aliasing, plan: plan)
    }

    /// Decides, then allocates and generates the model.
    public static func make(_ request: Request, planner: MemoryPlanner = MemoryPlanner(),
                            cache: () throws -> LastLevelCache = { try LastLevelCache.read() }) throws -> SyntheticModelSource {
        let decision = try decide(request, planner: planner, cache: cache)
        return try SyntheticModelSource(layout: decision.layout, aliasing: decision.aliasing,
                                        threads: request.threads, showProgress: request.showProgress)
    }

    /// The planner's input for `layout` with `distinctLayers` physical blocks.
    /// TL1/TL2 projections are counted twice: the kernels repack them once into a group-major copy
    /// (Kernels/Formats/TernaryPreparedWeights.swift) while the source keeps the standard blob.
    public static func planInput(layout: SyntheticModelLayout, distinctLayers: Int, request: Request) -> MemoryPlanInput {
        let shape = layout.spec.shape
        let repacked = layout.spec.weightType == .tl1 || layout.spec.weightType == .tl2
        let layerRepackBytes = repacked
            ? layout.tensors.lazy.filter { $0.layer == 0 && $0.role == .linear }.map(\.byteCount).reduce(0, +) : 0
        let layerBytes = pageRoundedBytes(layout, where: { $0.layer == 0 }) + layerRepackBytes
        let nonLayerBytes = pageRoundedBytes(layout, where: { $0.layer == nil })
        var alternatives: [MemoryPlanAlternative] = []
        for type in WeightFormatID.allCases where type != layout.spec.weightType {
            var spec = layout.spec
            spec.weightType = type
            guard let other = try? SyntheticModelLayout(spec: spec) else { continue }
            let otherRepack = type == .tl1 || type == .tl2
                ? distinctLayers * other.tensors.lazy.filter { $0.layer == 0 && $0.role == .linear }.map(\.byteCount).reduce(0, +)
                : 0
            alternatives.append(MemoryPlanAlternative(
                name: type.rawValue,
                weightBytes: SyntheticModelSource.residentBytes(layout: other, distinctLayers: distinctLayers) + otherRepack))
        }
        return MemoryPlanInput(
            layers: shape.layers, embedding: shape.hidden, ffn: shape.ffn, heads: shape.heads, kvHeads: shape.kvHeads,
            headDim: shape.headDim, vocab: layout.vocabulary.tokens.count, context: request.context,
            batch: request.batch, threads: request.threads,
            weightBytes: SyntheticModelSource.residentBytes(layout: layout, distinctLayers: distinctLayers)
                + distinctLayers * layerRepackBytes,
            kvBytesPerElement: 2, layerWeightBytes: layerBytes, nonLayerWeightBytes: nonLayerBytes,
            canAliasLayers: true, alternatives: alternatives)
    }

    private static func pageRoundedBytes(_ layout: SyntheticModelLayout,
                                         where include: (SyntheticTensor) -> Bool) -> Int {
        layout.tensors.lazy.filter(include).map { PageAlignedMemory.pageRounded($0.byteCount) }.reduce(0, +)
    }
}
