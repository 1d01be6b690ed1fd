import Engine
import GGUF
import Kernels
import Synthetic

/// Checks every (model, weight type) of a plan against memory before anything is allocated,
/// then makes the sources one at a time: a mapped GGUF file, or a synthetic model in memory.
struct BenchModelLoader {
    /// A model in one weight type, ready to be made.
    struct Entry {
        var modelIndex: Int
        var format: WeightFormatID?
        /// "synthetic 700M i2_s" or the path, for messages.
        var label: String
    }

    let sweep: BenchSweep
    let planner: MemoryPlanner
    let aliasLayers: Int?
    let fitMemory: Bool
    let showProgress: Bool

    /// Threads, batch and context the largest session of the sweep uses.
    var maxThreads: Int { sweep.threads.max() ?? 1 }
    var maxBatch: Int { min(sweep.batchSizes.max() ?? 1, sweep.contextNeeded) }

    /// The synthetic factory's request for `spec` in `format`.
    func request(_ spec: SyntheticModelSpec, format: WeightFormatID) -> SyntheticModelFactory.Request {
        var spec = spec
        spec.weightType = format
        return SyntheticModelFactory.Request(spec: spec, context: sweep.contextNeeded, batch: maxBatch, threads: maxThreads,
                                             aliasLayers: aliasLayers, fitMemory: fitMemory, showProgress: showProgress)
    }

    /// Refuses the first model that does not fit or whose context is too short; nothing is allocated.
    func check(_ entries: [Entry]) throws {
        for entry in entries {
            switch sweep.models[entry.modelIndex] {
            case .synthetic(let spec):
                guard sweep.contextNeeded <= spec.shape.contextLength else {
                    throw BenchError.contextTooLong(model: entry.label, needed: sweep.contextNeeded, limit: spec.shape.contextLength)
                }
                do {
                    _ = try SyntheticModelFactory.decide(request(spec, format: entry.format ?? spec.weightType), planner: planner)
                } catch SyntheticError.doesNotFit(let text) {
                    throw BenchError.doesNotFit(model: entry.label, detail: text)
                } catch {
                    throw BenchError.cannotMake(model: entry.label, detail: "\(error)")
                }
            case .file(let path):
                let file = try GGUFFile(path: path)
                let config = try ModelConfig(source: file)
                guard sweep.contextNeeded <= config.contextLength else {
                    throw BenchError.contextTooLong(model: path, needed: sweep.contextNeeded, limit: config.contextLength)
                }
                let input = MemoryPlanInput(layers: config.layerCount, embedding: config.embeddingLength,
                                            ffn: config.feedForwardLength, heads: config.headCount, kvHeads: config.kvHeadCount,
                                            headDim: config.headDimension, vocab: config.vocabularySize,
                                            context: sweep.contextNeeded, batch: maxBatch, threads: maxThreads,
                                            weightBytes: file.tensorInfos.reduce(0) { $0 + $1.byteCount }, kvBytesPerElement: 2)
                let plan = try planner.plan(input)
                guard plan.fits else { throw BenchError.doesNotFit(model: path, detail: plan.refusalText) }
            }
        }
    }

    /// Makes the source of one entry (the memory plan is checked again, now that earlier models are freed).
    func make(_ entry: Entry) throws -> (source: TensorSource, weightBytes: Int) {
        switch sweep.models[entry.modelIndex] {
        case .synthetic(let spec):
            do {
                let source = try SyntheticModelFactory.make(request(spec, format: entry.format ?? spec.weightType), planner: planner)
                return (source, source.residentBytes)
            } catch SyntheticError.doesNotFit(let text) {
                throw BenchError.doesNotFit(model: entry.label, detail: text)
            }
        case .file(let path):
            let file = try GGUFFile(path: path)
            return (file, file.tensorInfos.reduce(0) { $0 + $1.byteCount })
        }
    }

    /// The weight type a source's projections hold (the first block's attention query).
    static func projectionType(of source: TensorSource) -> String {
        let info = source.tensorInfos.first { $0.name == "blk.0.attn_q.weight" }
            ?? source.tensorInfos.first { $0.name.hasPrefix("blk.") && $0.shape.count == 2 }
        return info.map { "\($0.type)".lowercased() } ?? "unknown"
    }
}
