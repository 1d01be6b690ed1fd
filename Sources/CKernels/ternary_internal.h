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

#endif
