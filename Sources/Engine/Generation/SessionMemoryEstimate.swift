import Foundation
import GGUF

/// The memory a session needs before anything is allocated: weight bytes to be paged in, the
/// KV cache, the activation buffers and the attention scratch, checked against MemAvailable.
public struct SessionMemoryEstimate: Sendable, Equatable {
    /// Tensor bytes that loading brings into memory (a mapped file's tensors; 0 for in-memory sources).
    public var weightBytes: Int
    /// The F16 KV cache.
    public var kvCacheBytes: Int
    /// Activation buffers for one batch, logits included.
    public var activationBytes: Int
    /// Per-thread attention scratch and the RoPE table.
    public var scratchBytes: Int

    /// Everything together.
    public var totalBytes: Int { weightBytes + kvCacheBytes + activationBytes + scratchBytes }

    /// Estimates the needs of a session of this shape.
    public init(config: ModelConfig, source: TensorSource, context: Int, batch: Int, threads: Int) {
        weightBytes = source is GGUFFile ? source.tensorInfos.reduce(0) { $0 + $1.byteCount } : 0
        kvCacheBytes = KVCache.byteCount(layers: config.layerCount, kvDimension: config.kvDimension, capacity: context)
        activationBytes = RunState.byteCount(config: config, batch: batch)
        scratchBytes = threads * AttentionScratch.byteCount(capacity: context, headDimension: config.headDimension)
            + MemoryLayout<Float>.stride * context * config.ropeDimensionCount
    }

    /// Throws `ModelError.insufficientMemory` naming the parts when the total exceeds `available`.
    public func check(available: Int, context: Int) throws {
        guard totalBytes > available else { return }
        func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        let perPosition = kvCacheBytes / max(context, 1)
        let spare = available - (totalBytes - kvCacheBytes)
        let hint = spare > perPosition
            ? "; a context of \(spare / perPosition) positions (-c) would fit"
            : "; no context length fits, use a smaller model"
        throw ModelError.insufficientMemory(
            "not enough memory: need \(mib(totalBytes)) (weights \(mib(weightBytes)), KV cache \(mib(kvCacheBytes)) for \(context) positions, activations \(mib(activationBytes)), scratch \(mib(scratchBytes))) but only \(mib(available)) is available (MemAvailable)\(hint)")
    }

    /// MemAvailable from /proc/meminfo, in bytes; nil when it cannot be read.
    public static func availableMemory() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kib = Int(fields[1]) else { return nil }
            return kib * 1024
        }
        return nil
    }
}
