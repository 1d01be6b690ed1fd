import Testing
import GGUF

/// Blob sizes of the ggml type table, checked against the numbers in FORMATS.md section 5.
@Suite struct GGMLTypeTests {
    @Test func tl2SizesMatchTheFork() {
        // 125M TL2: attn_q 768x768, ffn_down K=3072 M=768, ffn_up K=768 M=3072.
        #expect(GGMLType.tl2.byteCount(shape: [768, 768]) == 131_104)
        #expect(GGMLType.tl2.byteCount(shape: [3072, 768]) == 499_744)
        #expect(GGMLType.tl2.byteCount(shape: [768, 3072]) == 524_320)
    }

    @Test func i2sSizeIsQuarterBytePlusTrailer() {
        #expect(GGMLType.i2_s.byteCount(shape: [8640, 3200]) == 6_912_032)
    }

    @Test func blockTypesRejectPartialBlocksAndOverflow() {
        #expect(GGMLType.tq2_0.byteCount(shape: [256, 2]) == 132)
        #expect(GGMLType.tq1_0.byteCount(shape: [3200, 1]) == nil)
        #expect(GGMLType.q8_0.byteCount(shape: [1 << 40, 1 << 40]) == nil)
    }
}
