// Private helpers shared by the kernel files: the per-function AVX2 target attribute (no global
// -mavx2, so the package builds on ARM), horizontal sums and the llama.cpp block structs.
#ifndef BB_KERNEL_COMMON_H
#define BB_KERNEL_COMMON_H
#include "CKernels.h"
#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#define BB_X86 1
#include <immintrin.h>
#define BB_AVX2 __attribute__((target("avx2,fma,f16c")))
#define BB_AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma,f16c")))
#else
#define BB_X86 0
#endif

// Software prefetch of streamed weights into L2, 4 KiB ahead. Measured on the team machine (2
// threads, weights from DRAM, min of 30): F16 GEMV 19.7 GB/s with 1 KiB/T0 (SWIFT-NOTES' setting
// for Zen 3), 25.5 GB/s with 4 KiB/T0, 28.1 GB/s with 4 KiB/T1; the plain read kernel gains the
// same way (31.8 GB/s), so both use it.
#define BB_PREFETCH_BYTES 4096
#define BB_PREFETCH(p) _mm_prefetch((const char *)(p), _MM_HINT_T1)

// llama.cpp block layouts (ggml-common.h): Q8_0 = fp16 d + 32 int8; Q4_0 = fp16 d + 16 bytes of
// nibbles; Q4_1 = fp16 d, fp16 m + 16 bytes; Q8_1 = fp16 d, fp16 s + 32 int8.
typedef struct { uint16_t d; int8_t qs[32]; } bb_block_q8_0;
typedef struct { uint16_t d; uint8_t qs[16]; } bb_block_q4_0;
typedef struct { uint16_t d; uint16_t m; uint8_t qs[16]; } bb_block_q4_1;
typedef struct { uint16_t d; uint16_t s; int8_t qs[32]; } bb_block_q8_1;
_Static_assert(sizeof(bb_block_q8_0) == 34, "Q8_0 block is 34 bytes");
_Static_assert(sizeof(bb_block_q4_0) == 18, "Q4_0 block is 18 bytes");
_Static_assert(sizeof(bb_block_q4_1) == 20, "Q4_1 block is 20 bytes");
_Static_assert(sizeof(bb_block_q8_1) == 36, "Q8_1 block is 36 bytes");

// Portable IEEE half -> float (exact), branch-free so loops over it vectorize: shift the
// exponent/mantissa into place, rescale by 2^112 (which also normalizes subnormals), and force
// the exponent to 255 for inf/NaN.
static inline float bb_half_to_float(uint16_t h) {
    uint32_t magnitude = ((uint32_t)h & 0x7fffu) << 13;
    float f;
    memcpy(&f, &magnitude, 4);
    f *= 0x1p112f;
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if (magnitude >= (0x7c00u << 13)) bits |= 0x7f800000u;
    bits |= ((uint32_t)h & 0x8000u) << 16;
    memcpy(&f, &bits, 4);
    return f;
}

// Portable float -> IEEE half, round to nearest even (as F16C), NaN kept quiet.
static inline uint16_t bb_float_to_half(float value) {
    uint32_t bits;
    memcpy(&bits, &value, 4);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000u);
    uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude >= 0x7f800000u)
        return sign | (magnitude > 0x7f800000u ? (uint16_t)(0x7e00u | ((magnitude >> 13) & 0x3ffu)) : 0x7c00u);
    if (magnitude >= 0x47800000u) return sign | 0x7c00u;
    if (magnitude >= 0x38800000u) {
        uint32_t half = (magnitude - 0x38000000u) >> 13;
        uint32_t dropped = magnitude & 0x1fffu;
        if (dropped > 0x1000u || (dropped == 0x1000u && (half & 1u))) half++;
        return sign | (uint16_t)half;
    }
    int exponent = (int)(magnitude >> 23);
    if (exponent < 102) return sign;
    uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    uint32_t shift = (uint32_t)(126 - exponent);
    uint32_t half = mantissa >> shift;
    uint32_t dropped = mantissa & ((1u << shift) - 1u);
    uint32_t halfway = 1u << (shift - 1u);
    if (dropped > halfway || (dropped == halfway && (half & 1u))) half++;
    return sign | (uint16_t)half;
}

/// Every half's float value, filled at load time (half_table.c).
extern float bb_half_table[65536];

#if BB_X86
BB_AVX2_INLINE float bb_hsum_ps(__m256 v) {
    __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    __m128 shuf = _mm_movehdup_ps(lo);
    __m128 sums = _mm_add_ps(lo, shuf);
    shuf = _mm_movehl_ps(shuf, sums);
    sums = _mm_add_ss(sums, shuf);
    return _mm_cvtss_f32(sums);
}

// One half to float through ggml's trick, a 64K-entry table (256 KiB, L2-resident). Scalar F16C
// (_cvtsh_ss) compiles to vpinsrw into a stale register whose upper lanes are often subnormal
// halves, and converting those costs a microcode assist: the Q4_1 GEMM ran 4x slower with it.
BB_AVX2_INLINE float bb_half_to_float_f16c(uint16_t h) { return bb_half_table[h]; }

// Sum of signed int8 products, 32 at a time, as 8 int32 lanes: |w| * sign(a, w) keeps
// vpmaddubsw's unsigned-by-signed form (llama.cpp's mul_sum_i8_pairs idea).
BB_AVX2_INLINE __m256i bb_dot_i8(__m256i w, __m256i a) {
    __m256i ones = _mm256_set1_epi16(1);
    __m256i absw = _mm256_sign_epi8(w, w);
    __m256i signed_a = _mm256_sign_epi8(a, w);
    return _mm256_madd_epi16(_mm256_maddubs_epi16(absw, signed_a), ones);
}

// bb_dot_i8 with |w| computed beforehand (reused across tokens).
BB_AVX2_INLINE __m256i bb_dot_i8_prepared(__m256i w, __m256i absw, __m256i a) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(absw, _mm256_sign_epi8(a, w)), _mm256_set1_epi16(1));
}
#endif

#endif
