/// Load-time checks and repacking of ternary blobs for the fast kernels (TernaryPreparedWeights).
enum TernaryRepacking {
    /// The fast kernels multiply 2-bit codes 0...2; code 3 never occurs in bitnet.cpp's or llama.cpp's
    /// files and would break their int16 bounds, so it is refused up front.
    static func refuseCodeThree<S: Sequence>(_ blob: UnsafeRawBufferPointer, format: WeightFormatID,
                                         ranges: S) throws where S.Element == (Int, Int) {
        for (start, count) in ranges {
            var i = start
            var bad = false
            while i + 8 <= start + count {
                let w = blob.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                bad = bad || (w & (w >> 1) & 0x5555_5555_5555_5555) != 0
                i += 8
            }
            while i < start + count {
                let b = blob[i]
                bad = bad || (b & (b >> 1) & 0x55) != 0
                i += 1
            }
            if bad {
                throw KernelError.invalidData(format: format, reason: "2-bit code 3 near byte \(start), which is not a trit")
            }
        }
    }

    /// Bytes of one 32-row group: 160 per 8 triples, 32 per 4 tail columns.
    static func groupBytes(threeColumns: Int, twoColumns: Int) -> Int {
        threeColumns / 24 * 160 + twoColumns / 4 * 32
    }

    /// Moves bitnet.cpp's TL2 magnitude and pair vectors into group-major order unchanged, and
    /// rewrites each chunk's sign words as one byte per row position q (bit e: triple e of row
    /// PERM(q)), counting each row's negative triples.
    static func repackTL2(_ blob: UnsafeRawBufferPointer, layout: TL2Layout, groupBytes: Int,
                                  into buffer: UnsafeMutableRawPointer, negativeCounts: UnsafeMutablePointer<Int32>) {
        let source = blob.baseAddress!
        let kk = layout.triplesPerBlock
        let groupsPerTile = layout.rowsPerTile / 32
        let pairBase = layout.threeColumns / 24 * 160
        for t in 0..<(layout.rows / layout.rowsPerTile) {
            for g in 0..<groupsPerTile {
                let groupIndex = t * groupsPerTile + g
                let group = buffer + groupIndex * groupBytes
                for kb in 0..<layout.kBlocks {
                    for c in 0..<(kk / 8) {
                        let chunk = group + (kb * kk / 8 + c) * 160
                        for p in 0..<4 {
                            let from = layout.magnitudeOffset(tile: t, kBlock: kb, group: g, pair: 4 * c + p, position: 0)
                            (chunk + 32 * p).copyMemory(from: source + from, byteCount: 32)
                        }
                        let signs = chunk.assumingMemoryBound(to: UInt8.self) + 128
                        for q in 0..<32 {
                            let row = TL2Layout.permutedRow(q)
                            let offset = layout.signWordOffset(tile: t, kBlock: kb, group: g, chunk: c, word: row % 16)
                            let word = UInt16(littleEndian: blob.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
                            var byte: UInt8 = 0
                            for e in 0..<8 where (word >> (row < 16 ? 15 - 2 * e : 14 - 2 * e)) & 1 == 1 {
                                byte |= 1 << e
                            }
                            signs[q] = byte
                            negativeCounts[groupIndex * 32 + row] += Int32(byte.nonzeroBitCount)
                        }
                    }
                }
                for kb2 in 0..<(layout.twoColumns / 32) {
                    for p in 0..<8 {
                        let from = layout.pairOffset(tile: t, kBlock: kb2, group: g, pair: p, position: 0)
                        (group + pairBase + (8 * kb2 + p) * 32).copyMemory(from: source + from, byteCount: 32)
                    }
                }
            }
        }
    }

    /// Regroups TL1 bytes (16-row slabs of pair-of-pairs) into 32-row pair vectors with the TL2 row
    /// permutation; each byte keeps its two 4-bit pair codes.
    static func repackTL1(_ blob: UnsafeRawBufferPointer, layout: TL1Layout, groupBytes: Int,
                                  into buffer: UnsafeMutableRawPointer) {
        let source = blob.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let destination = buffer.assumingMemoryBound(to: UInt8.self)
        layout.forEachByte(tiles: 0..<(layout.rows / layout.rowsPerTile)) { offset, row, pair in
            let position = TL2Layout.permutedRow(row % 32)
            destination[(row / 32) * groupBytes + (pair / 2) * 32 + position] = source[offset]
        }
    }
}
