import Kernels

/// Chooses TL1/TL2 tiling (BM, BK, bm) for each projection shape of a synthetic model:
/// bitnet.cpp's setup_env presets where the shape has one (`TileConfigurationTable.bitnetPresets`,
/// FORMATS.md 2.2 and 2.3.1), otherwise a rule that satisfies the layout constraints. The choice
/// is stored in the file's own keys, since bitnet.cpp keeps it out of the GGUF (kernel_config.ini).
public enum SyntheticTilePolicy {
    /// The tiling for an M x K matrix (M = rows = ne1, K = columns = ne0), or nil when none fits.
    public static func tile(for type: WeightFormatID, rows m: Int, columns k: Int) -> TileConfiguration? {
        switch type {
        case .tl2:
            return TileConfigurationTable.bitnetPresets.configuration(for: .tl2, rows: m, columns: k)
                ?? tl2Rule(rows: m, columns: k)
        case .tl1:
            return TileConfigurationTable.bitnetPresets.configuration(for: .tl1, rows: m, columns: k)
                ?? tl1Rule(rows: m, columns: k)
        default: return nil
        }
    }

    /// Tile heights tried in order: bitnet.cpp's common choices first.
    private static let rowsPerTileCandidates = [256, 128, 320, 160, 192, 96, 64, 32]

    /// TL2: BM a multiple of 32 dividing M; BK = 96 (every preset but one), which leaves a tail
    /// K mod 96 ∈ {0, 32, 64} when K % 32 == 0, within the 256-column limit (FORMATS.md 2.3.1).
    private static func tl2Rule(rows m: Int, columns k: Int) -> TileConfiguration? {
        guard k >= 256, k % 32 == 0, let bm = rowsPerTileCandidates.first(where: { m % $0 == 0 }) else { return nil }
        return TileConfiguration(rowsPerTile: bm, kBlock: 96, rowsPerGroup: 32)
    }

    /// TL1: BM dividing M, BK 128 or 64 dividing K, bm = 32.
    private static func tl1Rule(rows m: Int, columns k: Int) -> TileConfiguration? {
        guard let bm = rowsPerTileCandidates.first(where: { m % $0 == 0 }),
              let bk = [128, 64].first(where: { k % $0 == 0 }) else { return nil }
        return TileConfiguration(rowsPerTile: bm, kBlock: bk, rowsPerGroup: 32)
    }
}
