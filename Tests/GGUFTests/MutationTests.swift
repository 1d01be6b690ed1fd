import Foundation
// @testable for the parser's allocation ledger (`chargedElements`), which the public API does not show.
@testable import GGUF
import Testing
import TestSupport

/// 100,000 seeded mutations (bit flips, byte overwrites, extreme 8-byte values, truncations) of
/// a small valid file: each must parse or fail with a GGUFError; never crash, hang or reserve
/// more elements than the file has bytes.
@Suite struct MutationTests {
    static let caseCount = 100_000
    static let seed: UInt64 = 0x6767_7566_2024

    /// The valid base file: rich metadata (string, float, nested arrays, u64, bool) and four tensors.
    private func baseFile() throws -> [UInt8] {
        let dir = try Fixtures.temporaryDirectory("gguf-mutation")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("base.gguf")
        try TestFiles.write(
            to: url,
            metadata: [
                ("general.architecture", .string("bitnet")),
                ("bitnet.block_count", .uint32(2)),
                ("bitnet.rope.freq_base", .float32(10000)),
                ("general.file_type", .uint32(40)),
                ("tokenizer.ggml.tokens", .array(elementType: .string, values: ["<s>", "a", "bc", "déf"].map { .string($0) })),
                ("tokenizer.ggml.scores", .array(elementType: .float32, values: [0, -1, -2, -3].map { .float32($0) })),
                ("tokenizer.ggml.add_bos_token", .bool(true)),
                ("x.nested", .array(elementType: .array, values: [.array(elementType: .uint64, values: [.uint64(7)])])),
                ("x.i64", .int64(-5)),
            ],
            tensors: [
                ("a", [8], .f32, TestFiles.bytes(32, seed: 1)),
                ("b", [32, 2], .q8_0, TestFiles.bytes(68, seed: 2)),
                ("c", [128, 2], .i2_s, TestFiles.bytes(96, seed: 3)),
                ("d", [4, 2], .f16, TestFiles.bytes(16, seed: 4)),
            ])
        return try TestFiles.read(url)
    }

    @Test(.timeLimit(.minutes(5)))
    func mutatedFilesNeverCrashHangOrOverAllocate() throws {
        let base = try baseFile()
        let header = try base.withUnsafeBytes { try GGUFFile(bytes: $0, label: "base") }
        let headerEnd = header.dataOffset
        var rng = SplitMix64(seed: Self.seed)
        var work = base
        var parsed = 0, overAllocations = 0, foreignErrors = 0, badRanges = 0
        var kinds: [GGUFError.Kind: Int] = [:]
        var maxCharged = 0.0
        let clock = ContinuousClock()
        let start = clock.now

        for _ in 0..<Self.caseCount {
            work.withUnsafeMutableBytes { w in base.withUnsafeBytes { w.copyMemory(from: $0) } }
            var length = base.count
            func position() -> Int {
                // Three in four mutations hit the header, where the counts and offsets live.
                Int(rng.next() % UInt64(rng.next() % 4 == 0 ? base.count : headerEnd))
            }
            switch rng.next() % 5 {
            case 0:
                for _ in 0...(rng.next() % 3) { work[position()] ^= UInt8(1) << (rng.next() % 8) }
            case 1:
                for _ in 0...(rng.next() % 4) { work[position()] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2:
                length = Int(rng.next() % UInt64(base.count))
            case 3:
                let at = min(position(), base.count - 8)
                let extremes: [UInt64] = [.max, UInt64(Int64.max), 1 << 63, 1 << 32, UInt64(base.count), 0, rng.next()]
                let value = extremes[Int(rng.next() % UInt64(extremes.count))]
                withUnsafeBytes(of: value.littleEndian) { for i in 0..<8 { work[at + i] = $0[i] } }
            default:
                work[position()] = UInt8(truncatingIfNeeded: rng.next())
                length = Int(rng.next() % UInt64(base.count))
            }

            work.withUnsafeBytes { all in
                let view = UnsafeRawBufferPointer(rebasing: all[0..<length])
                var parser = GGUFParser(bytes: view, file: "mutant.gguf")
                do {
                    let result = try parser.parse()
                    parsed += 1
                    for info in result.tensorInfos
                    where result.dataOffset + info.offset + info.byteCount > length {
                        badRanges += 1
                    }
                    // The public reader accepts it too, and every data view has the declared size
                    // (slicing is bounds-checked in debug builds).
                    let file = try GGUFFile(bytes: view, label: "mutant.gguf")
                    for info in file.tensorInfos where file.tensorData(info.name)?.count != info.byteCount {
                        badRanges += 1
                    }
                } catch let error as GGUFError {
                    kinds[error.kind, default: 0] += 1
                    if !error.description.hasPrefix("mutant.gguf: ") { foreignErrors += 1 }
                } catch {
                    foreignErrors += 1
                }
                if parser.chargedElements > length { overAllocations += 1 }
                maxCharged = max(maxCharged, Double(parser.chargedElements) / Double(max(length, 1)))
            }
        }
        let elapsed = clock.now - start

        #expect(overAllocations == 0, "a parse reserved more elements than the file has bytes")
        #expect(foreignErrors == 0, "every failure is a GGUFError naming the file")
        #expect(badRanges == 0, "an accepted file has a tensor outside it")
        #expect(parsed + kinds.values.reduce(0, +) == Self.caseCount)
        // The mutations must exercise many different checks, and some mutants (e.g. a flipped
        // data byte) must still read.
        #expect(kinds.count >= 8, "error kinds seen: \(kinds)")
        #expect(parsed > 0)
        let summary = kinds.sorted { $0.value > $1.value }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        print("GGUF mutation test: \(Self.caseCount) cases (seed \(Self.seed), base \(base.count) bytes) in \(elapsed): "
              + "\(parsed) parsed; \(summary); max reserved elements per file byte \(maxCharged)")
    }
}
