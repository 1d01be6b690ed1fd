import Kernels

/// Chooses TL1/TL2 tiling (BM, BK, bm) for each projection shape of a synthetic model:
/// bitnet.cpp's setup_env presets where the shape has one (FORMATS.md 2.2 and 2.3.1), otherwise
/// a rule that satisfies the layout constraints. The choice is stored in the file's own keys,
/// since bitnet.cpp keeps it out of the GGUF (kernel_config.ini).
public enum SyntheticTilePolicy {
    /// The tiling for an M x K matrix (M = rows = ne1, K = columns = ne0), or nil when none fits.
    public static func tile(for type: WeightFormatID, rows m: Int, columns k: Int) -> TileConfiguration? {
        switch type {
        case .tl2: return tl2Presets[Shape(m: m, k: k)] ?? tl2Rule(rows: m, columns: k)
        case .tl1: return tl1Presets[Shape(m: m, k: k)] ?? tl1Rule(rows: m, columns: k)
        default: return nil
        }
    }

    private struct Shape: Hashable { var m: Int; var k: Int }

    /// setup_env.py TL2 presets, (M, K) → BM, BK, bm = 32 (FORMATS.md 2.3.1).
    private static let tl2Presets: [Shape: TileConfiguration] = [
        Shape(m: 1536, k: 4096): .init(rowsPerTile: 256, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 1536, k: 1536): .init(rowsPerTile: 128, kBlock: 192, rowsPerGroup: 32),
        Shape(m: 4096, k: 1536): .init(rowsPerTile: 256, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 3200, k: 8640): .init(rowsPerTile: 160, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 3200, k: 3200): .init(rowsPerTile: 320, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 8640, k: 3200): .init(rowsPerTile: 320, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 14336, k: 4096): .init(rowsPerTile: 256, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 4096, k: 14336): .init(rowsPerTile: 128, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 1024, k: 4096): .init(rowsPerTile: 256, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 4096, k: 4096): .init(rowsPerTile: 128, kBlock: 96, rowsPerGroup: 32),
        // 125M shapes, as compiled for the bitnet-tiny fixtures.
        Shape(m: 3072, k: 768): .init(rowsPerTile: 256, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 768, k: 768): .init(rowsPerTile: 128, kBlock: 96, rowsPerGroup: 32),
        Shape(m: 768, k: 3072): .init(rowsPerTile: 256, kBlock: 96, rowsPerGroup: 32),
    ]

    /// setup_env.py TL1 presets, (M, K) → BM, BK, bm (FORMATS.md 2.2).
    private static let tl1Presets: [Shape: TileConfiguration] = [
        Shape(m: 1536, k: 4096): .init(rowsPerTile: 256, kBlock: 128, rowsPerGroup: 32),
        Shape(m: 1536, k: 1536): .init(rowsPerTile: 128, kBlock: 64, rowsPerGroup: 64),
        Shape(m: 4096, k: 1536): .init(rowsPerTile: 256, kBlock: 128, rowsPerGroup: 32),
        Shape(m: 3200, k: 8640): .init(rowsPerTile: 160, kBlock: 64, rowsPerGroup: 32),
        Shape(m: 3200, k: 3200): .init(rowsPerTile: 320, kBlock: 128, rowsPerGroup: 64),
        Shape(m: 8640, k: 3200): .init(rowsPerTile: 320, kBlock: 64, rowsPerGroup: 32),
        Shape(m: 14336, k: 4096): .init(rowsPerTile: 256, kBlock: 128, rowsPerGroup: 32),
        Shape(m: 4096, k: 14336): .init(rowsPerTile: 128, kBlock: 64, rowsPerGroup: 64),
        Shape(m: 1024, k: 4096): .init(rowsPerTile: 256, kBlock: 128, rowsPerGroup: 32),
        Shape(m: 4096, k: 4096): .init(rowsPerTile: 128, kBlock: 64, rowsPerGroup: 64),
    ]

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
