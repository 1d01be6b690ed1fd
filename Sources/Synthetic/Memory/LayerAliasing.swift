/// Bandwidth-equivalent aliasing: a model of L blocks built from K physically distinct ones,
/// block i using the bytes of block i mod K. Every token still streams a block's full weight
/// bytes per block, and those bytes come from DRAM as long as they cannot stay in the
/// last-level cache between two uses of the same physical block.
///
/// Between two uses of physical block j, the K distinct blocks (K x block bytes) are read, so
/// that reuse distance must be at least 4x the LLC. For K = 1 this is the rule "one block's
/// weights >= 4x the LLC"; for K > 1 it counts all the distinct bytes streamed in between,
/// which is what decides whether an LRU-like cache can still hold the block (the 260 MiB LLC
/// this machine's VM reports would otherwise forbid honest aliasing of any model here).
public struct LayerAliasing: Sendable, Equatable {
    /// Physically distinct blocks (K).
    public let distinctLayers: Int
    /// Blocks of the model (L).
    public let layers: Int
    /// Weight bytes of one block.
    public let layerBytes: Int

    /// The factor by which the reuse distance must exceed the LLC.
    public static let cacheFactor = 4

    /// Checks K against the model and the cache; throws a refusal naming the numbers.
    public init(distinctLayers: Int, layers: Int, layerBytes: Int, cache: LastLevelCache) throws {
        guard distinctLayers >= 1, distinctLayers <= layers else {
            throw SyntheticError.invalidValue(field: "--alias-layers", value: "\(distinctLayers)",
                                              expected: "1...\(layers) (the model's block count)")
        }
        self.distinctLayers = distinctLayers
        self.layers = layers
        self.layerBytes = layerBytes
        let needed = Self.cacheFactor * cache.bytes
        if isAliased && reuseDistanceBytes < needed {
            let minimum = (needed + layerBytes - 1) / layerBytes
            var text = "refusing to alias \(distinctLayers)/\(layers) layers: a block re-reads "
                + "\(mib(reuseDistanceBytes)) of distinct weights (\(distinctLayers) x \(mib(layerBytes))) between two uses, "
                + "less than \(Self.cacheFactor)x the \(mib(cache.bytes)) L\(cache.level) cache (\(mib(needed))), so its "
                + "bytes could come from cache and the tokens/s would overstate the model."
            text += minimum <= layers
                ? " Use --alias-layers \(minimum) or more."
                : " Even all \(layers) distinct layers are too few: run the model unaliased (it fits) or pick a larger one."
            throw SyntheticError.aliasing(text)
        }
    }

    /// True when K < L.
    public var isAliased: Bool { distinctLayers < layers }
    /// Distinct bytes read between two uses of one physical block.
    public var reuseDistanceBytes: Int { distinctLayers * layerBytes }
    /// The physical block used by block `layer`.
    public func physicalLayer(_ layer: Int) -> Int { layer % distinctLayers }
    /// "aliased K/L", the mark on every figure measured with this model.
    public var label: String { "aliased \(distinctLayers)/\(layers)" }

    private func mib(_ bytes: Int) -> String { "\(bytes >> 20) MiB" }
}
