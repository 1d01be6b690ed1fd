import GGUF
import Kernels

/// Records the TL1/TL2 tiling of every projection shape in the model's metadata, under the keys
/// `TileConfigurationTable` reads back (`bitbench.tl2.tile.<M>x<K>` = [BM, BK, bm]).
enum SyntheticTileKeys {
    static func entries(type: WeightFormatID,
                        configurations: [(rows: Int, columns: Int, tile: TileConfiguration)]) -> [(String, GGUFValue)] {
        var table = TileConfigurationTable()
        for c in configurations { table.set(c.tile, for: type, rows: c.rows, columns: c.columns) }
        var metadata = GGUFMetadata()
        table.store(into: &metadata)
        return metadata.orderedEntries.map { ($0.key, $0.value) }
    }
}
