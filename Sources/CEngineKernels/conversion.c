// IEEE half <-> float, round to nearest even: F16C on x86, an exact integer twin elsewhere.
#include "engine_common.h"

static float half_to_float(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
    if (exponent == 0) {
        // Zero or subnormal: mantissa * 2^-24, exact in float.
        return be_bits_to_float(be_float_to_bits((float)mantissa * 0x1p-24f) | sign);
    }
    if (exponent == 31) return be_bits_to_float(sign | 0x7f800000u | (mantissa << 13));
    return be_bits_to_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

static uint16_t float_to_half(float value) {
    const uint32_t bits = be_float_to_bits(value);
    const uint16_t sign = (uint16_t)((bits >> 16) & 0x8000u);
    const uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude >= 0x7f800000u) {
        return magnitude > 0x7f800000u ? (uint16_t)(sign | 0x7e00u | ((magnitude >> 13) & 0x3ffu)) : (uint16_t)(sign | 0x7c00u);
    }
    if (magnitude >= 0x47800000u) return (uint16_t)(sign | 0x7c00u);   // >= 65536 overflows
    if (magnitude >= 0x38800000u) {
        // Normal half: rebias by 112 exponents and round the 13 dropped bits (a carry is correct).
        uint32_t half = (magnitude - 0x38000000u) >> 13;
        const uint32_t dropped = magnitude & 0x1fffu;
        if (dropped > 0x1000u || (dropped == 0x1000u && (half & 1u))) half++;
        return (uint16_t)(sign | half);
    }
    const int exponent = (int)(magnitude >> 23);
    if (exponent < 102) return sign;   // below 2^-25 rounds to zero
    const uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    const uint32_t shift = (uint32_t)(126 - exponent);
    uint32_t half = mantissa >> shift;
    const uint32_t dropped = mantissa & ((1u << shift) - 1u), halfway = 1u << (shift - 1u);
    if (dropped > halfway || (dropped == halfway && (half & 1u))) half++;
    return (uint16_t)(sign | half);
}

#if BE_X86
BE_AVX2 static void f16_to_f32_avx2(const uint16_t *src, float *dst, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + i))));
    for (; i < n; i++) dst[i] = _cvtsh_ss(src[i]);
}

BE_AVX2 static void f32_to_f16_avx2(const float *src, uint16_t *dst, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm_storeu_si128((__m128i *)(dst + i), _mm256_cvtps_ph(_mm256_loadu_ps(src + i), 0));
    for (; i < n; i++) dst[i] = _cvtss_sh(src[i], 0);
}
#endif

void be_f16_to_f32(const uint16_t *src, float *dst, size_t n, int avx2) {
#if BE_X86
    if (avx2) { f16_to_f32_avx2(src, dst, n); return; }
#endif
    (void)avx2;
    for (size_t i = 0; i < n; i++) dst[i] = half_to_float(src[i]);
}

void be_f32_to_f16(const float *src, uint16_t *dst, size_t n, int avx2) {
#if BE_X86
    if (avx2) { f32_to_f16_avx2(src, dst, n); return; }
#endif
    (void)avx2;
    for (size_t i = 0; i < n; i++) dst[i] = float_to_half(src[i]);
}

/// Used by the portable attention path.
float be_half_to_float_portable(uint16_t h) { return half_to_float(h); }
