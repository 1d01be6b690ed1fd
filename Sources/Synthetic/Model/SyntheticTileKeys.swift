import GGUF
import Kernels

/// Writes the TL1/TL2 tiling of each projection shape into the model's metadata.
enum SyntheticTileKeys {
    static func entries(type: WeightFormatID,
                        configurations: [(rows: Int, columns: Int, tile: TileConfiguration)]) -> [(String, GGUFValue)] {
        configurations.map { c in
            ("bitbench.\(type.rawValue).tile.\(c.rows)x\(c.columns)",
             .array(elementType: .uint32, values: [c.tile.rowsPerTile, c.tile.kBlock, c.tile.rowsPerGroup].map { .uint32(UInt32($0)) }))
        }
    }
}
