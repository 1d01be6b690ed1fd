// Helpers shared by the ternary_*.c kernels (private to the CKernels target).
#ifndef TERNARY_INTERNAL_H
#define TERNARY_INTERNAL_H
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define BB_AVX2 __attribute__((target("avx2,fma,f16c")))
#define BB_AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma,f16c")))
#endif

// ggml's nearest_int: round half to even with the 1.5*2^23 trick (exact for |f| < 2^22).
static inline int32_t bb_nearest_int(float f) {
    float v = f + 12582912.0f;
    int32_t i;
    memcpy(&i, &v, sizeof i);
    return (i & 0x007fffff) - 0x00400000;
}

// IEEE binary16 -> binary32, exact (portable; the AVX2 code uses F16C).
static inline float bb_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu, bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {
            int shift = 0;
            while (!(mantissa & 0x400u)) { mantissa <<= 1; shift++; }
            bits = sign | ((uint32_t)(127 - 14 - shift) << 23) | ((mantissa & 0x3ffu) << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static inline uint16_t bb_load_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

// Row of byte position q in a 32-row TL group: 8*PERM[q/8] + q%8 with PERM = [0, 2, 1, 3]
// (bitnet.cpp's TL2 layout), so that unpacklo/unpackhi of a 32-byte lookup give rows 0-15 / 16-31.
static inline int bb_tl_row(int q) {
    static const int perm[4] = {0, 2, 1, 3};
    return 8 * perm[q >> 3] + (q & 7);
}

// How far ahead single-token GEMV loops prefetch the weight stream. Measured on this VM (2 vCPU
// Sapphire Rapids class, DRAM streamed): 4 KiB ahead beat 1 KiB by ~25% (SWIFT-NOTES measured
// 1 KiB on Zen 3); in-cache matrices lose little since the lines are already there.
#define BB_PREFETCH_AHEAD 4096

// Bytes per 8-triple chunk of a TL group: 4 magnitude vectors + 1 sign vector of 32 bytes.
#define BB_TL_CHUNK_BYTES 160
// Triples per TL chunk.
#define BB_TL_CHUNK_TRIPLES 8

// I2_S flat layout (FORMATS.md 2.1, bitnet.cpp quantize_i2_s): 32-element group G of the flattened
// tensor (element e = m*k + col, G = e/32) is byte lane G%4 of block G/4, i.e. shift 6 - 2*(G%4)
// of bytes 32*(G/4) .. +31. When k % 128 != 0 a row starts and ends inside blocks, so a row is
// split into `head` groups up to the next block start, `blocks` whole blocks, then `tail` groups.
typedef struct {
    int64_t first_group;  // flat group index of the row's first element (m*k/32)
    int64_t head;         // groups before the first whole block (0..3)
    int64_t first_block;  // flat index of the first whole block
    int64_t blocks;       // whole 128-element blocks
    int64_t tail;         // groups after the whole blocks (0..3)
} bb_i2s_row_span;

// The split of row m (k % 32 == 0).
static inline bb_i2s_row_span bb_i2s_span(int64_t m, int64_t k) {
    const int64_t groups = k / 32, g0 = m * groups;
    int64_t head = (4 - (g0 & 3)) & 3;
    if (head > groups) head = groups;
    const int64_t blocks = (groups - head) / 4;
    const bb_i2s_row_span span = {g0, head, (g0 + head) / 4, blocks, groups - head - 4 * blocks};
    return span;
}

// The 2-bit code of group g at byte lane j (0..31).
static inline int bb_i2s_code(const uint8_t *w, int64_t g, int j) {
    return (w[32 * (g >> 2) + j] >> (6 - 2 * (int)(g & 3))) & 3;
}

#endif
