import Foundation
import GGUF
import Kernels
import Synthetic
import TestSupport
import Testing

/// Generated files: the header is the layout, the bytes are deterministic (same SHA-256 for the
/// same seed, whatever the threads or piece size), and other readers accept them.
@Suite struct SyntheticModelWriterTests {
    static let tinyShape = ModelShape(name: "tiny", hidden: 256, ffn: 512, layers: 2, heads: 4, contextLength: 256)

    static func spec(_ type: WeightFormatID, seed: UInt64 = 1, shape: ModelShape = tinyShape) -> SyntheticModelSpec {
        SyntheticModelSpec(shape: shape, weightType: type, vocabSize: 300, seed: seed)
    }

    static func write(_ spec: SyntheticModelSpec, to path: String, threads: Int = 2, pieceBytes: Int = 32 << 20) throws {
        let layout = try SyntheticModelLayout(spec: spec)
        try SyntheticModelWriter(layout: layout, threads: threads, pieceBytes: pieceBytes, showProgress: false).write(to: path)
    }

    static func sha256(_ path: String) throws -> String {
        try Fixtures.runPython("import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
                               arguments: [path]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: [WeightFormatID.f16, .f32])
    func fileHeaderIsTheLayoutAndValuesAreTernaryTimesAlpha(type: WeightFormatID) throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("m.gguf")
        let layout = try SyntheticModelLayout(spec: Self.spec(type))
        try Self.write(layout.spec, to: path)
        let file = try GGUFFile(path: path)
        #expect(file.metadata.keys == layout.metadata.keys)
        for key in layout.metadata.keys { #expect(file.metadata[key] == layout.metadata[key], "\(key)") }
        #expect(file.tensorInfos == layout.tensorInfos)
        #expect(file.fileSize == file.dataOffset + layout.dataSectionBytes)

        let q = try #require(file.tensorInfo("blk.1.attn_q.weight"))
        let values = try Self.floats(file, q)
        let alpha = TernaryDistribution.scale(columns: 256)
        let stored = type == .f16 ? Half.round(alpha) : alpha
        #expect(values.allSatisfy { $0 == 0 || $0 == stored || $0 == -stored })
        let zeros = Double(values.filter { $0 == 0 }.count) / Double(values.count)
        #expect(abs(zeros - 0.31) < 0.02)
        let norm = try Self.floats(file, try #require(file.tensorInfo("blk.0.ffn_sub_norm.weight")))
        #expect(norm.count == 512 && abs(norm.reduce(0, +) / 512 - 1) < 0.03 && norm.allSatisfy { $0 > 0.4 && $0 < 1.6 })
    }

    static func floats(_ file: GGUFFile, _ info: GGUFTensorInfo) throws -> [Float] {
        var out = [Float](repeating: 0, count: info.elementCount)
        let blob = try #require(file.tensorData(info.name))
        try out.withUnsafeMutableBufferPointer {
            try RowDequantizer.dequantizeRows(type: info.type, blob: blob, columns: info.rowLength,
                                              rows: 0..<info.rowCount, into: $0.baseAddress!)
        }
        return out
    }

    @Test func sameSeedGivesTheSameSHA256WhateverThreadsOrPieces() throws {
        let dir = try TemporaryDirectory()
        try Self.write(Self.spec(.f16), to: dir.file("a.gguf"), threads: 2)
        try Self.write(Self.spec(.f16), to: dir.file("b.gguf"), threads: 1, pieceBytes: 1 << 16)
        try Self.write(Self.spec(.f16, seed: 2), to: dir.file("c.gguf"), threads: 2)
        let a = try Self.sha256(dir.file("a.gguf"))
        #expect(a.count == 64)
        #expect(a == (try Self.sha256(dir.file("b.gguf"))))
        #expect(a != (try Self.sha256(dir.file("c.gguf"))))
    }

    @Test func pipGGUFReadsFloatFilesCompletely() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("m.gguf")
        try Self.write(Self.spec(.f16), to: path)
        let script = """
        import sys, gguf
        r = gguf.GGUFReader(sys.argv[1])
        t = {x.name: x for x in r.tensors}
        n = t['blk.0.attn_norm.weight']
        print(len(r.tensors), r.fields['general.architecture'].contents(), t['token_embd.weight'].tensor_type.name,
              repr(float(n.data[0])), repr(float(n.data[255])))
        """
        let out = try Fixtures.runPython(script, arguments: [path]).split(separator: " ").map(String.init)
        let file = try GGUFFile(path: path)
        let norm = try Self.floats(file, try #require(file.tensorInfo("blk.0.attn_norm.weight")))
        #expect(out.count == 5)
        #expect(out[0] == "\(file.tensorInfos.count)" && out[1] == "bitnet" && out[2] == "F16")
        #expect(Float(out[3]) == norm[0])
        #expect(Float(out[4].trimmingCharacters(in: .whitespacesAndNewlines)) == norm[255])
    }

    @Test func diskSpaceIsCheckedBeforeAnythingIsCreated() throws {
        let dir = try TemporaryDirectory()
        #expect(try DiskSpace.available(directory: dir.path) > 0)
        do {
            try DiskSpace.require(Int.max / 2, in: dir.path, for: dir.file("huge.gguf"))
            Issue.record("an impossible size passed the disk check")
        } catch let SyntheticError.insufficientDiskSpace(path, needed, available) {
            #expect(path == dir.file("huge.gguf") && needed > available)
        }
        #expect(throws: SyntheticError.self) { try DiskSpace.available(directory: dir.file("no/such/dir")) }
        // A write into a missing directory fails and leaves nothing behind.
        #expect(throws: (any Error).self) { try Self.write(Self.spec(.f16), to: dir.file("missing/m.gguf")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
