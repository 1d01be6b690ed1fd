/// Byte geometry of one TL2 tensor (bitnet.cpp's x86 lookup-table format) for a given shape and
/// tiling; every offset rule is from shared/reference/FORMATS.md 2.3.
///
/// K splits into `K3 = K - K mod BK` columns coded as triples (4-bit magnitude + sign bit) and a
/// tail of `K2 = K mod BK` columns coded as pairs (4-bit index). Rows come in tiles of BM, split in
/// 32-row groups whose bytes are permuted in 8-row chunks by PERM = [0, 2, 1, 3].
struct TL2Layout: Sendable, Equatable {
    let rows: Int          // M
    let columns: Int       // K
    let rowsPerTile: Int   // BM
    let kBlock: Int        // BK
    let threeColumns: Int  // K3
    let twoColumns: Int    // K2
    let triplesPerRow: Int // C3 = K3/3
    let triplesPerBlock: Int // KK = BK/3
    let kBlocks: Int       // NKB = K3/BK

    /// Row of byte position q (0..31) inside a 32-row group: `8*PERM[q/8] + q%8` (PERM is an involution).
    static func permutedRow(_ q: Int) -> Int {
        let chunk = q >> 3
        let permuted = chunk == 1 ? 2 : (chunk == 2 ? 1 : chunk)
        return permuted * 8 + (q & 7)
    }

    /// Balanced-ternary decoding of a triple magnitude 0...13 (FORMATS.md 2.3.3): (w0, w1, w2).
    static let magnitudeTrits: [(Int8, Int8, Int8)] = (0..<14).map { m in
        // m = 9*w0 + 3*w1 + w2 with digits in {-1, 0, 1}, w0 >= 0.
        var v = m
        var digits = [Int8](repeating: 0, count: 3)
        for position in (0..<3).reversed() {
            var d = v % 3
            v /= 3
            if d == 2 { d = -1; v += 1 }
            digits[position] = Int8(d)
        }
        return (digits[0], digits[1], digits[2])
    }

    /// Validates the shape against the tiling (FORMATS.md 2.3.1 constraints).
    init(rows: Int, columns: Int, tile: TileConfiguration) throws {
        func refuse(_ reason: String) -> KernelError {
            .unsupportedShape(format: .tl2, rows: rows, columns: columns, reason: reason)
        }
        let bm = tile.rowsPerTile, bk = tile.kBlock
        guard rows > 0, columns > 0 else { throw refuse("the matrix is empty") }
        guard tile.rowsPerGroup == 32 else {
            throw refuse("bm (rows per group) must be 32 for TL2, got \(tile.rowsPerGroup)")
        }
        guard bm > 0, bm % 32 == 0 else { throw refuse("BM=\(bm) must be a positive multiple of 32") }
        guard rows % bm == 0 else { throw refuse("M=\(rows) must be a multiple of BM=\(bm)") }
        guard bk > 0, bk % 24 == 0 else { throw refuse("BK=\(bk) must be a positive multiple of 24") }
        guard columns >= 256 else { throw refuse("K=\(columns) is below 256, the minimum of the size formula") }
        let k2 = columns % bk
        guard k2 % 32 == 0 else { throw refuse("K mod BK = \(k2) must be a multiple of 32") }
        guard k2 <= 256 else { throw refuse("K mod BK = \(k2) exceeds 256") }
        guard columns - k2 >= bk else { throw refuse("K=\(columns) holds no whole k-block of BK=\(bk)") }
        let (_, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, rows <= Int(Int32.max), columns <= Int(Int32.max) else { throw refuse("the matrix is too large") }
        self.rows = rows
        self.columns = columns
        self.rowsPerTile = bm
        self.kBlock = bk
        self.twoColumns = k2
        self.threeColumns = columns - k2
        self.triplesPerRow = (columns - k2) / 3
        self.triplesPerBlock = bk / 3
        self.kBlocks = (columns - k2) / bk
        guard dataBytes <= formulaBytes else {
            throw refuse("packed data (\(dataBytes) bytes) exceeds bitnet.cpp's size formula (\(formulaBytes) bytes)")
        }
    }

    /// Bytes of region A3 (triple magnitudes, 2 per byte).
    var magnitudeBytes: Int { rows * triplesPerRow / 2 }
    /// Bytes of region S (sign bits).
    var signBytes: Int { rows * triplesPerRow / 8 }
    /// Bytes of region A2 (tail pair codes, 2 per byte).
    var pairBytes: Int { rows * twoColumns / 4 }
    /// Start of region S.
    var signOffset: Int { magnitudeBytes }
    /// Start of region A2.
    var pairOffset: Int { magnitudeBytes + signBytes }
    /// Packed data bytes before padding.
    var dataBytes: Int { magnitudeBytes + signBytes + pairBytes }
    /// F of the fork's ggml_nbytes: `((K-256)*M)/3*5/8 + (256*M)/2*4/8`, integer ops left to right.
    var formulaBytes: Int { ((columns - 256) * rows) / 3 * 5 / 8 + (256 * rows) / 2 * 4 / 8 }
    /// Byte offset of the f32 scale: `roundup(F, 32)`.
    var scaleOffset: Int { (formulaBytes + 31) / 32 * 32 }
    /// Whole blob: `roundup(F, 32) + 32`.
    var byteCount: Int { scaleOffset + 32 }

    /// Offset in region A3 of the byte holding triples (2p, 2p+1) of k-block kb for byte position q
    /// of group g of tile t.
    @inline(__always)
    func magnitudeOffset(tile t: Int, kBlock kb: Int, group g: Int, pair p: Int, position q: Int) -> Int {
        ((((t * kBlocks + kb) * (rowsPerTile / 32) + g) * (triplesPerBlock / 2) + p) * 32 + q)
    }

    /// Offset of the little-endian uint16 sign word (t, kb, g, c, b) in the blob.
    @inline(__always)
    func signWordOffset(tile t: Int, kBlock kb: Int, group g: Int, chunk c: Int, word b: Int) -> Int {
        signOffset + 2 * ((((t * kBlocks + kb) * (rowsPerTile / 32) + g) * (triplesPerBlock / 8) + c) * 16 + b)
    }

    /// Offset of the A2 byte holding pairs (2p, 2p+1) of tail block kb2 for byte position q.
    @inline(__always)
    func pairOffset(tile t: Int, kBlock kb2: Int, group g: Int, pair p: Int, position q: Int) -> Int {
        pairOffset + ((((t * (twoColumns / 32) + kb2) * (rowsPerTile / 32) + g) * 8 + p) * 32 + q)
    }
}
