/// Byte geometry of one TL1 tensor (bitnet.cpp's ARM lookup-table format), from the converter's
/// `process_tl1` order in shared/reference/FORMATS.md 2.2.
///
/// Pairs of columns become `idx = 3*w0 + w1 + 4` (4 bits). Bytes run, outer to inner: tile t
/// (M/BM), k-block kb (K/BK), row group G (BM/bm), k-chunk c (BK/by), 16-row slab h (bm/16),
/// pair-of-pairs g (by/4), row r (16), with `by = 256/bm`.
struct TL1Layout: Sendable, Equatable {
    let rows: Int
    let columns: Int
    let rowsPerTile: Int   // BM
    let kBlock: Int        // BK
    let rowsPerGroup: Int  // bm
    let chunkColumns: Int  // by = 256 / bm

    init(rows: Int, columns: Int, tile: TileConfiguration) throws {
        func refuse(_ reason: String) -> KernelError {
            .unsupportedShape(format: .tl1, rows: rows, columns: columns, reason: reason)
        }
        let bm = tile.rowsPerGroup, bigM = tile.rowsPerTile, bk = tile.kBlock
        guard rows > 0, columns > 0 else { throw refuse("the matrix is empty") }
        guard [16, 32, 64].contains(bm) else { throw refuse("bm=\(bm) must be 16, 32 or 64 (by = 256/bm must be a multiple of 4)") }
        guard bigM > 0, bigM % bm == 0 else { throw refuse("BM=\(bigM) must be a positive multiple of bm=\(bm)") }
        guard rows % bigM == 0 else { throw refuse("M=\(rows) must be a multiple of BM=\(bigM)") }
        let by = 256 / bm
        guard bk > 0, bk % by == 0 else { throw refuse("BK=\(bk) must be a positive multiple of by=256/bm=\(by)") }
        guard columns % bk == 0 else { throw refuse("K=\(columns) must be a multiple of BK=\(bk)") }
        let (_, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, rows <= Int(Int32.max), columns <= Int(Int32.max) else { throw refuse("the matrix is too large") }
        self.rows = rows
        self.columns = columns
        self.rowsPerTile = bigM
        self.kBlock = bk
        self.rowsPerGroup = bm
        self.chunkColumns = by
    }

    /// Packed index bytes (`M*K/4`); the f32 scale follows at this offset (ggml_bitnet_transform_tensor).
    var dataBytes: Int { rows * columns / 4 }
    /// Whole blob: `M*K/4 + 32`.
    var byteCount: Int { dataBytes + 32 }

    /// Visits every byte of tiles `tiles` in file order with its row and the first of its two
    /// pairs: the high nibble holds pair `pair`, the low nibble pair `pair + 1`.
    func forEachByte(tiles: Range<Int>, _ body: (_ offset: Int, _ row: Int, _ pair: Int) -> Void) {
        let by = chunkColumns
        for t in tiles {
            var offset = t * rowsPerTile * columns / 4
            for kb in 0..<(columns / kBlock) {
                for bigG in 0..<(rowsPerTile / rowsPerGroup) {
                    for c in 0..<(kBlock / by) {
                        let firstPair = (kb * kBlock + c * by) / 2
                        for h in 0..<(rowsPerGroup / 16) {
                            for g in 0..<(by / 4) {
                                let rowBase = t * rowsPerTile + bigG * rowsPerGroup + h * 16
                                for r in 0..<16 {
                                    body(offset, rowBase + r, firstPair + 2 * g)
                                    offset += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Offset of the byte holding columns `column ..< column+4` (column a multiple of 4) of `row`.
    @inline(__always)
    func offset(row: Int, column: Int) -> Int {
        let by = chunkColumns
        let t = row / rowsPerTile, inTile = row % rowsPerTile
        let bigG = inTile / rowsPerGroup, inGroup = inTile % rowsPerGroup
        let kb = column / kBlock, inBlock = column % kBlock
        let c = inBlock / by, g = (inBlock % by) / 4
        var o = t * (columns / kBlock) + kb
        o = o * (rowsPerTile / rowsPerGroup) + bigG
        o = o * (kBlock / by) + c
        o = o * (rowsPerGroup / 16) + inGroup / 16
        o = o * (by / 4) + g
        return o * 16 + inGroup % 16
    }
}
