import GGUF
import Testing

/// One malformed file per failure kind (issue 2's list and a few more): each must give its own
/// error kind, name the field and give the byte offset of that field.
@Suite struct MalformedFileTests {
    /// A small GGUF image described field by field; the defaults make a valid file:
    /// two keys, tensor "a" F32 [8] at 0 and tensor "b" Q8_0 [32, 2] at 32.
    struct Spec {
        var magic = Array("GGUF".utf8)
        var version: UInt32 = 3
        var kvCount: UInt64?
        var kvs: [(inout RawGGUF) -> Void] = [
            { $0.kvString("general.architecture", "llama") },
            { $0.kvU32("test.count", 7) },
        ]
        var tensorCount: UInt64?
        var tensors: [(name: String, dims: [UInt64], type: UInt32, offset: UInt64)] = [
            ("a", [8], 0, 0), ("b", [32, 2], 8, 32),
        ]
        var dataBytes = 100
        var alignment = 32

        func build() -> RawGGUF {
            var raw = RawGGUF()
            raw.header(version: version, tensors: tensorCount ?? UInt64(tensors.count),
                       kvs: kvCount ?? UInt64(kvs.count), magic: magic)
            for kv in kvs { kv(&raw) }
            for t in tensors { raw.tensorInfo(t.name, t.dims, type: t.type, offset: t.offset) }
            raw.pad(to: alignment)
            raw.data(dataBytes)
            raw.pad(to: alignment)
            return raw
        }

        /// The absolute offset where the tensor infos start.
        var tensorInfoStart: Int {
            var raw = RawGGUF()
            raw.header(tensors: 0, kvs: 0, magic: magic)
            for kv in kvs { kv(&raw) }
            return raw.bytes.count
        }
    }

    private func expectError(_ raw: RawGGUF, _ kind: GGUFError.Kind, field: String, offset: Int?,
                             mentions: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = raw.error() else {
            Issue.record("expected \(kind) error, but the file read", sourceLocation: sourceLocation)
            return
        }
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix("test.gguf: \(field)"), "\(error)", sourceLocation: sourceLocation)
        if let mentions {
            #expect(error.description.contains(mentions), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func baseSpecIsValid() throws {
        let file = try Spec().build().open()
        #expect(file.tensorInfos.map(\.name) == ["a", "b"])
        #expect(file.tensorInfo("b")?.byteCount == 68)
        #expect(file.metadata.int("test.count") == 7)
    }

    // MARK: truncated file

    @Test func truncatedInsideHeader() {
        var raw = Spec().build()
        let lastOffsetField = Spec().tensorInfoStart + (8 + 1 + 4 + 8 + 4 + 8) + (8 + 1 + 4 + 16 + 4)
        raw.bytes.removeSubrange((lastOffsetField + 3)...)
        expectError(raw, .truncated, field: "tensor[1].offset", offset: lastOffsetField, mentions: "8-byte field")
    }

    @Test func truncatedInsideData() {
        var raw = Spec().build()
        raw.bytes.removeLast(40)
        let offsetField = Spec().tensorInfoStart + (8 + 1 + 4 + 8 + 4 + 8) + (8 + 1 + 4 + 16 + 4)
        expectError(raw, .tensorOutOfBounds, field: "tensor[1].offset", offset: offsetField, mentions: "truncated")
    }

    @Test func emptyFile() {
        expectError(RawGGUF(), .truncated, field: "magic", offset: 0)
    }

    @Test func headerPaddingPastEnd() {
        var spec = Spec()
        spec.dataBytes = 0
        var raw = spec.build()
        raw.bytes.removeLast(raw.bytes.count - (spec.tensorInfoStart + 74))  // just the infos
        expectError(raw, .truncated, field: "data section", offset: spec.tensorInfoStart + 74)
    }

    // MARK: magic and version

    @Test func wrongMagic() {
        var spec = Spec()
        spec.magic = Array("GGML".utf8)
        expectError(spec.build(), .badMagic, field: "magic", offset: 0, mentions: "found 47 47 4d 4c")
    }

    @Test(arguments: [UInt32(1), 4, 0x0300_0000])
    func unknownVersion(version: UInt32) {
        var spec = Spec()
        spec.version = version
        let hint = version == 1 ? "32-bit counts" : version == 4 ? "found 4" : "big-endian"
        expectError(spec.build(), .unsupportedVersion, field: "version", offset: 4, mentions: hint)
    }

    @Test func version2Reads() throws {
        var spec = Spec()
        spec.version = 2
        #expect(try spec.build().open().version == 2)
    }

    // MARK: lengths and counts past the end

    @Test func keyLengthPastEnd() {
        var spec = Spec()
        spec.kvs = [{ $0.u64(1 << 40); $0.bytes += Array("k".utf8) }]
        expectError(spec.build(), .lengthPastEnd, field: "kv[0] key length", offset: 24, mentions: "found 1099511627776")
    }

    @Test func stringValueLengthPastEnd() {
        var spec = Spec()
        spec.kvs = [{ $0.string("general.name"); $0.u32(8); $0.u64(UInt64.max) }]
        expectError(spec.build(), .lengthPastEnd, field: "kv[0] \"general.name\" length", offset: 24 + 20 + 4)
    }

    @Test func arrayCountPastEnd() {
        var spec = Spec()
        spec.kvs = [
            { $0.kvU32("a.b", 1) },
            { $0.string("tokenizer.ggml.tokens"); $0.u32(9); $0.u32(8); $0.u64(1 << 60) },
        ]
        let countOffset = 24 + (8 + 3 + 4 + 4) + (8 + 21 + 4 + 4)
        expectError(spec.build(), .lengthPastEnd, field: "kv[1] \"tokenizer.ggml.tokens\" array count",
                    offset: countOffset, mentions: "STRING elements")
    }

    /// The count check is exact: one more 8-byte string than the bytes left can hold fails,
    /// before any element is read or allocated.
    @Test func stringArrayCountOneTooLarge() throws {
        var spec = Spec()
        spec.tensors = []
        spec.dataBytes = 0
        spec.alignment = 1
        spec.kvs = [{ $0.string("s"); $0.u32(9); $0.u32(8); $0.u64(4); for _ in 0..<4 { $0.u64(0) } }]
        #expect(try spec.build().open().metadata["s"]?.stringArray == ["", "", "", ""])
        spec.kvs = [{ $0.string("s"); $0.u32(9); $0.u32(8); $0.u64(5); for _ in 0..<4 { $0.u64(0) } }]
        expectError(spec.build(), .lengthPastEnd, field: "kv[0] \"s\" array count", offset: 24 + 9 + 4 + 4,
                    mentions: "at most 4 STRING elements")
    }

    @Test func keyValueCountPastEnd() {
        var spec = Spec()
        spec.kvCount = 1 << 50
        expectError(spec.build(), .lengthPastEnd, field: "kv_count", offset: 16)
    }

    @Test func tensorCountPastEnd() {
        var spec = Spec()
        spec.tensorCount = UInt64.max
        expectError(spec.build(), .lengthPastEnd, field: "tensor_count", offset: 8)
    }

    // MARK: tensor data ranges

    @Test func tensorOutsideTheFile() {
        var spec = Spec()
        spec.tensors[1].offset = 1 << 20
        let offsetField = spec.tensorInfoStart + 33 + 33
        expectError(spec.build(), .tensorOutOfBounds, field: "tensor[1].offset", offset: offsetField)
    }

    @Test func tensorOffsetAboveInt64() {
        var spec = Spec()
        spec.tensors[0].offset = UInt64.max - 31
        expectError(spec.build(), .tensorOutOfBounds, field: "tensor[0].offset", offset: spec.tensorInfoStart + 25)
    }

    @Test func tensorsOverlap() {
        var spec = Spec()
        spec.tensors = [("a", [64], 0, 0), ("b", [32, 2], 8, 224)]   // a covers [0, 256)
        spec.dataBytes = 300
        let offsetField = spec.tensorInfoStart + 33 + 33
        expectError(spec.build(), .tensorOverlap, field: "tensor[1].offset", offset: offsetField, mentions: "\"a\"")
    }

    @Test func identicalOffsetsOverlap() {
        var spec = Spec()
        spec.tensors[1].offset = 0
        expectError(spec.build(), .tensorOverlap, field: "tensor[1].offset", offset: spec.tensorInfoStart + 33 + 33)
    }

    @Test func misalignedOffset() {
        var spec = Spec()
        spec.tensors[1].offset = 40
        expectError(spec.build(), .misalignedOffset, field: "tensor[1].offset", offset: spec.tensorInfoStart + 33 + 33,
                    mentions: "a multiple of the alignment 32, found 40")
    }

    // MARK: types and shapes

    @Test(arguments: [UInt32(4), 5, 42, 1000])
    func unknownTensorType(id: UInt32) {
        var spec = Spec()
        spec.tensors[1].type = id
        expectError(spec.build(), .unknownTensorType, field: "tensor[1].type", offset: spec.tensorInfoStart + 33 + 29,
                    mentions: "found \(id)")
    }

    @Test func unknownValueType() {
        var spec = Spec()
        spec.kvs = [{ $0.string("x"); $0.u32(13); $0.u32(0) }]
        expectError(spec.build(), .unknownValueType, field: "kv[0] \"x\" type", offset: 24 + 9)
    }

    @Test func unknownArrayElementType() {
        var spec = Spec()
        spec.kvs = [{ $0.string("x"); $0.u32(9); $0.u32(77); $0.u64(0) }]
        expectError(spec.build(), .unknownValueType, field: "kv[0] \"x\" array element type", offset: 24 + 9 + 4)
    }

    @Test func elementCountOverflows() {
        var spec = Spec()
        spec.tensors[0].dims = [1 << 32, 1 << 32]
        expectError(spec.build(), .elementCountOverflow, field: "tensor[0].ne[1]", offset: spec.tensorInfoStart + 9 + 4 + 8)
    }

    @Test func byteCountOverflows() {
        var spec = Spec()
        spec.tensors[0].dims = [1 << 31, 1 << 31]   // 2^62 elements fit, 2^64 bytes of F32 do not
        expectError(spec.build(), .elementCountOverflow, field: "tensor[0] \"a\" shape",
                    offset: spec.tensorInfoStart + 9 + 4 + 16, mentions: "overflows")
    }

    @Test func dimensionAboveInt64() {
        var spec = Spec()
        spec.tensors[0].dims = [UInt64(Int64.max) + 1]
        expectError(spec.build(), .invalidShape, field: "tensor[0].ne[0]", offset: spec.tensorInfoStart + 13)
    }

    @Test func tooManyDimensions() {
        var spec = Spec()
        spec.tensors[0].dims = [1, 1, 1, 1, 8]
        expectError(spec.build(), .invalidShape, field: "tensor[0].n_dims", offset: spec.tensorInfoStart + 9)
    }

    @Test func partialBlock() {
        var spec = Spec()
        spec.tensors[1].dims = [48, 1]
        expectError(spec.build(), .invalidShape, field: "tensor[1] \"b\" shape", offset: spec.tensorInfoStart + 33 + 29,
                    mentions: "block size 32")
    }

    // MARK: duplicates

    @Test func duplicateKey() {
        var spec = Spec()
        spec.kvs.append { $0.kvString("general.architecture", "bitnet") }
        let keyOffset = 24 + (8 + 20 + 4 + 8 + 5) + (8 + 10 + 4 + 4)
        expectError(spec.build(), .duplicateKey, field: "kv[2] \"general.architecture\"", offset: keyOffset,
                    mentions: "kv[0]")
    }

    @Test func duplicateTensorName() {
        var spec = Spec()
        spec.tensors[1].name = "a"
        expectError(spec.build(), .duplicateTensorName, field: "tensor[1].name \"a\"", offset: spec.tensorInfoStart + 33,
                    mentions: "tensor[0]")
    }

    // MARK: values

    @Test func boolOutOfRange() {
        var spec = Spec()
        spec.kvs = [{ $0.string("flag"); $0.u32(7); $0.u8(2) }]
        expectError(spec.build(), .invalidValue, field: "kv[0] \"flag\" value", offset: 24 + 12 + 4)
    }

    @Test func alignmentNotPowerOfTwo() {
        var spec = Spec()
        spec.kvs = [{ $0.kvU32("general.alignment", 48) }]
        expectError(spec.build(), .invalidValue, field: "kv \"general.alignment\"", offset: 24 + 25,
                    mentions: "power of two")
    }

    @Test func alignmentWrongType() {
        var spec = Spec()
        spec.kvs = [{ $0.string("general.alignment"); $0.u32(10); $0.u64(32) }]
        expectError(spec.build(), .invalidValue, field: "kv \"general.alignment\"", offset: 24 + 25,
                    mentions: "UINT32")
    }

    @Test func alignment64IsHonoured() throws {
        var spec = Spec()
        spec.kvs = [{ $0.kvU32("general.alignment", 64) }]
        spec.tensors[1].offset = 64
        spec.alignment = 64
        spec.dataBytes = 140
        let file = try spec.build().open()
        #expect(file.alignment == 64 && file.dataOffset % 64 == 0)
        spec.tensors[1].offset = 32
        expectError(spec.build(), .misalignedOffset, field: "tensor[1].offset", offset: spec.tensorInfoStart + 33 + 33)
    }

    @Test func arraysNestedTooDeep() {
        var spec = Spec()
        spec.kvs = [{ raw in
            raw.string("deep")
            raw.u32(9)
            for _ in 0..<9 { raw.u32(9); raw.u64(1) }
            raw.u32(0); raw.u64(0)
        }]
        let error = spec.build().error()
        #expect(error?.kind == .invalidValue && error?.description.contains("nested at most 8 deep") == true)
    }
}
