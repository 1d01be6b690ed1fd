import GGUF
import Testing

/// Type ids 36 and up: bitnet.cpp's fork (I2_S, I8_S, TL1, TL2) versus upstream (39 MXFP4,
/// 40 NVFP4, 41 Q1_0), decided from the file's context (FORMATS.md 1.4 "ID collision warning").
@Suite struct TypeDialectTests {
    /// A file with one tensor of `type` id and `shape`, blob of `blobBytes`, and an optional arch.
    private func image(arch: String?, fileType: UInt32? = nil, type: UInt32, shape: [UInt64], blobBytes: Int) -> RawGGUF {
        var raw = RawGGUF()
        raw.header(tensors: 1, kvs: UInt64((arch == nil ? 0 : 1) + (fileType == nil ? 0 : 1)))
        if let arch { raw.kvString("general.architecture", arch) }
        if let fileType { raw.kvU32("general.file_type", fileType) }
        raw.tensorInfo("w", shape, type: type, offset: 0)
        raw.pad()
        raw.data(blobBytes)
        raw.pad()
        return raw
    }

    @Test func id39IsTL2InABitnetFile() throws {
        let tl2Size = GGMLType.tl2.byteCount(shape: [256, 32])!
        let file = try image(arch: "bitnet", type: 39, shape: [256, 32], blobBytes: tl2Size).open()
        #expect(file.tensorInfos[0].type == .tl2 && file.tensorInfos[0].byteCount == tl2Size)
        #expect(file.typeDialect.dialect == .bitnetFork)
        #expect(file.typeDialect.reason.contains("architecture"))
    }

    @Test func id39IsMXFP4InALlamaFileWhoseBlobFitsMXFP4() throws {
        let size = 256 * 32 / 32 * 17
        let file = try image(arch: "llama", type: 39, shape: [256, 32], blobBytes: size).open()
        #expect(file.tensorInfos[0].type == .mxfp4 && file.tensorInfos[0].byteCount == size)
        #expect(file.typeDialect.dialect == .upstream)
    }

    @Test func id39WithoutArchitectureIsDecidedByBlobSize() throws {
        let tl2Size = GGMLType.tl2.byteCount(shape: [256, 32])!
        let tl2 = try image(arch: nil, type: 39, shape: [256, 32], blobBytes: tl2Size).open()
        #expect(tl2.tensorInfos[0].type == .tl2)
        #expect(tl2.typeDialect.reason.contains("match TL2"))
        let mx = try image(arch: nil, type: 39, shape: [256, 32], blobBytes: 256 * 17).open()
        #expect(mx.tensorInfos[0].type == .mxfp4)
    }

    @Test func forkOnlyFileTypeBreaksATie() throws {
        // The gap fits neither size (64 spare bytes): file_type 39 (MOSTLY_TL2) decides.
        let file = try image(arch: nil, fileType: 39, type: 39, shape: [256, 32], blobBytes: 256 * 17 + 64).open()
        #expect(file.tensorInfos[0].type == .tl2)
        #expect(file.typeDialect.reason.contains("file_type 39"))
    }

    @Test func otherForkIDsMakeTheFileFork() throws {
        let file = try image(arch: "llama", type: 36, shape: [128, 4], blobBytes: 128 * 4 / 4 + 32).open()
        #expect(file.tensorInfos[0].type == .i2_s && file.tensorInfos[0].byteCount == 160)
        #expect(file.typeDialect.dialect == .bitnetFork)
    }

    @Test func upstreamOnlyIDsAreSized() throws {
        let nv = try image(arch: "llama", type: 40, shape: [128, 2], blobBytes: 4 * 36).open()
        #expect(nv.tensorInfos[0].type == .nvfp4 && nv.tensorInfos[0].byteCount == 144)
        let q1 = try image(arch: "llama", type: 41, shape: [256], blobBytes: 36).open()
        #expect(q1.tensorInfos[0].type == .q1_0 && q1.tensorInfos[0].byteCount == 36)
    }

    @Test func rawValuesAndNames() {
        #expect(GGMLType(rawValue: 39) == .tl2)
        #expect(GGMLType(id: 39, dialect: .upstream) == .mxfp4)
        #expect(GGMLType.mxfp4.rawValue == 39 && GGMLType.tl2.rawValue == 39)
        #expect(GGMLType(rawValue: 4) == nil && GGMLType(rawValue: 42) == nil)
        for type in GGMLType.allCases where type != .mxfp4 {
            #expect(GGMLType(rawValue: type.rawValue) == type)
        }
        #expect(GGMLType.q4_0.description == "Q4_0" && GGMLType.q6_K.description == "Q6_K")
        #expect(GGMLType.iq2_xxs.description == "IQ2_XXS" && GGMLType.mxfp4.description == "MXFP4")
        #expect(Set(GGMLType.allCases.map(\.description)).count == GGMLType.allCases.count)
    }
}
