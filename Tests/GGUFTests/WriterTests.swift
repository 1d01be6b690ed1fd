import Foundation
import GGUF
import Testing
import TestSupport

/// GGUFWriter: streaming in pieces, padding, atomic rename, and refusal of inconsistent use.
@Suite struct WriterTests {
    private func files(in dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    /// Pieces of every size from 1 byte to whole-stream, spanning tensor boundaries, give the
    /// same file; each blob starts aligned and the padding is zero.
    @Test(arguments: [1, 3, 64, 1000, 1 << 20])
    func piecesOfAnySizeGiveTheSameFile(pieceSize: Int) throws {
        let dir = try Fixtures.temporaryDirectory("gguf-pieces")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.gguf")
        let tensors: [(String, [Int], GGMLType, [UInt8])] = [
            ("x", [5], .f32, TestFiles.bytes(20, seed: 1)),
            ("empty", [0, 4], .f16, []),
            ("w", [128, 3], .i2_s, TestFiles.bytes(128 * 3 / 4 + 32, seed: 2)),
            ("y", [256, 2], .tl2, TestFiles.bytes(GGMLType.tl2.byteCount(shape: [256, 2])!, seed: 3)),
        ]
        try TestFiles.write(to: url, metadata: [("general.architecture", .string("bitnet"))],
                            tensors: tensors, pieceSize: pieceSize)
        #expect(try files(in: dir) == ["m.gguf"])
        let file = try GGUFFile(path: url.path)
        for (name, shape, type, data) in tensors {
            let info = try #require(file.tensorInfo(name))
            #expect(info.shape == shape && info.type == type && info.offset % 32 == 0)
            #expect(Array(try #require(file.tensorData(name))) == data)
        }
        let bytes = try TestFiles.read(url)
        #expect(bytes.count % 32 == 0)
        let xEnd = file.dataOffset + 20
        #expect(bytes[xEnd..<(xEnd + 12)].allSatisfy { $0 == 0 }, "padding after x")
        #expect(file.metadata["general.alignment"] == nil, "default alignment is not written")
    }

    @Test func interruptedWriteLeavesNoFileUnderTheFinalName() throws {
        let dir = try Fixtures.temporaryDirectory("gguf-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.gguf")
        do {
            let writer = try GGUFWriter(path: url.path)
            writer.setMetadata("k", .uint32(1))
            try writer.addTensor(name: "t", shape: [64], type: .f32, byteCount: 256)
            try writer.writeHeader()
            try [UInt8](repeating: 1, count: 100).withUnsafeBytes { try writer.writeTensorData($0) }
            // Mid-write: only a hidden temporary file exists.
            let names = try files(in: dir)
            #expect(!names.contains("m.gguf"))
            #expect(names.count == 1 && names[0].hasPrefix(".m.gguf.tmp-"))
            // Dropped without finish(), as on an error path: the temporary file is removed too.
        }
        #expect(try files(in: dir).isEmpty)
    }

    @Test func atomicWriteReplacesAnOldFileOnlyAtFinish() throws {
        let dir = try Fixtures.temporaryDirectory("gguf-replace")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.gguf")
        try Data("old".utf8).write(to: url)
        let writer = try GGUFWriter(path: url.path)
        writer.setMetadata("k", .string("new"))
        try writer.writeHeader()
        #expect(try Data(contentsOf: url) == Data("old".utf8))
        try writer.finish()
        #expect(try GGUFFile(path: url.path).metadata.string("k") == "new")
        #expect(try files(in: dir) == ["m.gguf"])
    }

    @Test func nonAtomicWriteUsesTheFinalName() throws {
        let dir = try Fixtures.temporaryDirectory("gguf-direct")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.gguf")
        let writer = try GGUFWriter(path: url.path, alignment: 128, atomic: false)
        try writer.addTensor(name: "t", shape: [32], type: .q8_0, byteCount: 34)
        try writer.writeHeader()
        #expect(try files(in: dir) == ["m.gguf"])
        try [UInt8](repeating: 9, count: 34).withUnsafeBytes { try writer.writeTensorData($0) }
        try writer.finish()
        let file = try GGUFFile(path: url.path)
        #expect(file.alignment == 128 && file.dataOffset % 128 == 0 && file.fileSize % 128 == 0)
    }

    @Test func missingBytesAreReportedAtFinish() throws {
        let dir = try Fixtures.temporaryDirectory("gguf-short")
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try GGUFWriter(path: dir.appendingPathComponent("m.gguf").path)
        try writer.addTensor(name: "a", shape: [4], type: .f32, byteCount: 16)
        try writer.addTensor(name: "b", shape: [4], type: .f32, byteCount: 16)
        try writer.writeHeader()
        try [UInt8](repeating: 0, count: 20).withUnsafeBytes { try writer.writeTensorData($0) }
        #expect {
            try writer.finish()
        } throws: { error in
            let e = error as? GGUFError
            return e?.kind == .writerMisuse && e?.field == "tensor \"b\" data" && e!.expected.contains("found 4")
        }
        #expect(try files(in: dir).isEmpty)
    }

    @Test func extraBytesAreRefused() throws {
        let dir = try Fixtures.temporaryDirectory("gguf-long")
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try GGUFWriter(path: dir.appendingPathComponent("m.gguf").path)
        try writer.addTensor(name: "a", shape: [4], type: .f32, byteCount: 16)
        try writer.writeHeader()
        #expect(throws: GGUFError.self) {
            try [UInt8](repeating: 0, count: 17).withUnsafeBytes { try writer.writeTensorData($0) }
        }
    }

    @Test func inconsistentDeclarationsAreRefused() throws {
        let dir = try Fixtures.temporaryDirectory("gguf-misuse")
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try GGUFWriter(path: dir.appendingPathComponent("m.gguf").path)
        #expect(throws: GGUFError.self) { try writer.addTensor(name: "q", shape: [33], type: .q8_0, byteCount: 34) }
        let second = try GGUFWriter(path: dir.appendingPathComponent("n.gguf").path)
        #expect(throws: GGUFError.self) { try second.addTensor(name: "i", shape: [128, 2], type: .i2_s, byteCount: 64) }
        let third = try GGUFWriter(path: dir.appendingPathComponent("o.gguf").path)
        try third.addTensor(name: "t", shape: [4], type: .f32, byteCount: 16)
        #expect(throws: GGUFError.self) { try third.addTensor(name: "t", shape: [4], type: .f32, byteCount: 16) }
        #expect(throws: GGUFError.self) { _ = try GGUFWriter(path: dir.appendingPathComponent("p.gguf").path, alignment: 48) }
        let fourth = try GGUFWriter(path: dir.appendingPathComponent("q.gguf").path)
        fourth.setMetadata("bad", .array(elementType: .uint32, values: [.uint32(1), .int32(2)]))
        #expect {
            try fourth.writeHeader()
        } throws: { ($0 as? GGUFError)?.field == "kv[0] \"bad\"[1]" }
    }

    @Test func unwritableDirectoryGivesSystemError() {
        #expect {
            _ = try GGUFWriter(path: "/nonexistent-dir/m.gguf")
        } throws: { error in
            let e = error as? GGUFError
            return e?.kind == .systemCall && e?.errno == ENOENT
        }
    }

    /// Copying SmolLM2 tensor by tensor through the writer (metadata in file order, 1 MiB pieces)
    /// reproduces llama.cpp's file byte for byte: same layout rules, same padding.
    @Test func rewritingSmolLM2ReproducesItExactly() throws {
        let source = try GGUFFile(path: try #require(Fixtures.smolLM2, "SmolLM2 is not installed").path)
        let dir = try Fixtures.temporaryDirectory("gguf-copy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("copy.gguf")
        let writer = try GGUFWriter(path: url.path, alignment: source.alignment)
        for (key, value) in source.metadata.orderedEntries { writer.setMetadata(key, value) }
        for info in source.tensorInfos {
            try writer.addTensor(name: info.name, shape: info.shape, type: info.type, byteCount: info.byteCount)
        }
        try writer.writeHeader()
        for info in source.tensorInfos {
            let data = try #require(source.tensorData(info.name))
            var start = 0
            while start < data.count {
                let end = min(data.count, start + (1 << 20))
                try writer.writeTensorData(UnsafeRawBufferPointer(rebasing: data[start..<end]))
                start = end
            }
        }
        try writer.finish()
        let copy = try GGUFFile(path: url.path)
        #expect(copy.fileSize == source.fileSize)
        #expect(memcmp(copy.rawBytes.baseAddress!, source.rawBytes.baseAddress!, source.fileSize) == 0)
    }
}
