import Foundation
import GGUF
import Kernels

/// A synthetic model in memory, no file: the same metadata and tensor infos as the GGUF file
/// `SyntheticModelWriter` would write, with the weights made in parallel into page-aligned
/// memory. With aliasing, blocks i >= K return the bytes of block i mod K (the same pointer).
public final class SyntheticModelSource: TensorSource, @unchecked Sendable {
    /// The model description.
    public let layout: SyntheticModelLayout
    /// The aliasing in effect (K == L when not aliased).
    public let aliasing: LayerAliasing
    /// As in the file.
    public let metadata: GGUFMetadata
    /// As in the file (all L blocks, file offsets).
    public let tensorInfos: [GGUFTensorInfo]
    /// "synthetic 100B i2_s seed 1, aliased 40/72".
    public let sourceLabel: String
    /// Bytes of distinct tensor data held (page-rounded per tensor).
    public let residentBytes: Int

    private let memory: PageAlignedMemory
    private let views: [String: UnsafeRawBufferPointer]

    /// The page-rounded bytes a source of `layout` with `distinctLayers` blocks holds.
    public static func residentBytes(layout: SyntheticModelLayout, distinctLayers: Int) -> Int {
        layout.tensors.lazy.filter { ($0.layer ?? 0) < distinctLayers }
            .map { PageAlignedMemory.pageRounded($0.byteCount) }.reduce(0, +)
    }

    /// Makes every distinct tensor with `threads` workers. `aliasing` nil means all blocks distinct.
    /// The caller plans memory first (`SyntheticModelFactory` does); this allocates.
    public init(layout: SyntheticModelLayout, aliasing: LayerAliasing? = nil, threads: Int,
                showProgress: Bool = false) throws {
        let layers = layout.spec.shape.layers
        if let aliasing, aliasing.layers != layers || aliasing.layerBytes != layout.layerBytes {
            throw SyntheticError.aliasing("aliasing was planned for \(aliasing.layers) blocks of \(aliasing.layerBytes) bytes, "
                                          + "the model has \(layers) of \(layout.layerBytes)")
        }
        let aliasing = try aliasing ?? LayerAliasing(distinctLayers: layers, layers: layers,
                                                      layerBytes: layout.layerBytes,
                                                      cache: LastLevelCache(level: 0, bytes: 0))
        self.layout = layout
        self.aliasing = aliasing
        metadata = layout.metadata
        tensorInfos = layout.tensorInfos
        sourceLabel = layout.spec.label + (aliasing.isAliased ? ", \(aliasing.label)" : "")

        let distinct = layout.tensors.filter { ($0.layer ?? 0) < aliasing.distinctLayers }
        let total = distinct.map { PageAlignedMemory.pageRounded($0.byteCount) }.reduce(0, +)
        residentBytes = total
        memory = try PageAlignedMemory(byteCount: total)
        memory.adviseHugePages()

        let generator = SyntheticWeightGenerator(spec: layout.spec)
        let pool = WorkerPool(threadCount: threads)
        let progress = showProgress
            ? ProgressBar(label: "make \(layout.spec.label)", total: distinct.map(\.byteCount).reduce(0, +))
            : nil
        var views: [String: UnsafeRawBufferPointer] = [:]
        var offset = 0
        for tensor in distinct {
            let blob = UnsafeMutableRawBufferPointer(start: memory.base + offset, count: tensor.byteCount)
            try generator.fill(tensor, into: blob, pool: pool)   // fresh mmap pages are already zero
            views[tensor.name] = UnsafeRawBufferPointer(blob)
            offset += PageAlignedMemory.pageRounded(tensor.byteCount)
            progress?.advance(by: tensor.byteCount)
        }
        for tensor in layout.tensors {
            guard let layer = tensor.layer, layer >= aliasing.distinctLayers else { continue }
            views[tensor.name] = views["blk.\(aliasing.physicalLayer(layer)).\(tensor.localName)"]
        }
        self.views = views
        progress?.finish()
    }

    /// The bytes of a tensor (shared between aliased blocks); nil for an unknown name.
    public func tensorData(_ name: String) -> UnsafeRawBufferPointer? {
        views[name]
    }
}
