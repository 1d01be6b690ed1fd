import GGUF
import Kernels

/// Records the TL1/TL2 tiling of every projection shape in the model's metadata, under the
/// keys `TileConfigurationTable` reads (`bitbench.tl2.tiles`: strings "M,K,BM,BK,bm").
enum SyntheticTileKeys {
    static func entries(type: WeightFormatID,
                        configurations: [(rows: Int, columns: Int, tile: TileConfiguration)]) -> [(String, GGUFValue)] {
        guard !configurations.isEmpty else { return [] }
        var table = TileConfigurationTable()
        for c in configurations { table.set(c.tile, for: type, rows: c.rows, columns: c.columns) }
        let strings = table.tileStrings(for: type).map { GGUFValue.string($0) }
        return [(TileConfigurationTable.metadataKey(for: type), .array(elementType: .string, values: strings))]
    }
}
