// Shared pieces of the engine kernels: the per-function AVX2 target attribute and the vector
// and scalar forms of ggml's exp.
#ifndef BE_ENGINE_COMMON_H
#define BE_ENGINE_COMMON_H
#include "CEngineKernels.h"
#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#define BE_X86 1
#include <immintrin.h>
#define BE_AVX2 __attribute__((target("avx2,fma,f16c")))
#define BE_AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma,f16c")))
#else
#define BE_X86 0
#endif

// ggml_v_expf's constants (ggml-cpu vec.h, adapted there from Arm optimized-routines expf):
// shift 0x1.8p23, log2(e), ln2 split in two, and the degree-5 polynomial.
#define BE_EXP_SHIFT 0x1.8p23f
#define BE_EXP_LOG2E 0x1.715476p+0f
#define BE_EXP_LN2_HI 0x1.62e4p-1f
#define BE_EXP_LN2_LO 0x1.7f7d1cp-20f
#define BE_EXP_C0 0x1.ffffecp-1f
#define BE_EXP_C1 0x1.fffdb6p-2f
#define BE_EXP_C2 0x1.555e66p-3f
#define BE_EXP_C3 0x1.573e2ep-5f
#define BE_EXP_C4 0x1.0e4020p-7f

static inline float be_bits_to_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint32_t be_float_to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/// One lane of ggml_v_expf, with the same fused multiply-adds.
static inline float be_expf_lane(float x) {
    const float z = fmaf(x, BE_EXP_LOG2E, BE_EXP_SHIFT);
    const float n = z - BE_EXP_SHIFT;
    const float b = fmaf(-n, BE_EXP_LN2_LO, fmaf(-n, BE_EXP_LN2_HI, x));
    const uint32_t e = be_float_to_bits(z) << 23;
    const float k = be_bits_to_float(e + be_float_to_bits(1.0f));
    const float u = b * b;
    const float j = fmaf(fmaf(fmaf(BE_EXP_C4, b, BE_EXP_C3), u, fmaf(BE_EXP_C2, b, BE_EXP_C1)), u, BE_EXP_C0 * b);
    if (!(fabsf(n) > 126.0f)) return fmaf(j, k, k);
    const uint32_t g = n <= 0.0f ? 0x82000000u : 0u;
    const float s1 = be_bits_to_float(g + 0x7f000000u);
    if (fabsf(n) > 192.0f) return s1 * s1;
    const float s2 = be_bits_to_float(e - g);
    return fmaf(s2, j, s2) * s1;
}

#if BE_X86
/// ggml_v_expf, eight lanes.
BE_AVX2_INLINE __m256 be_expf8(__m256 x) {
    const __m256 r = _mm256_set1_ps(BE_EXP_SHIFT);
    const __m256 z = _mm256_fmadd_ps(x, _mm256_set1_ps(BE_EXP_LOG2E), r);
    const __m256 n = _mm256_sub_ps(z, r);
    const __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(BE_EXP_LN2_LO),
                                      _mm256_fnmadd_ps(n, _mm256_set1_ps(BE_EXP_LN2_HI), x));
    const __m256i e = _mm256_slli_epi32(_mm256_castps_si256(z), 23);
    const __m256 k = _mm256_castsi256_ps(_mm256_add_epi32(e, _mm256_castps_si256(_mm256_set1_ps(1))));
    const __m256 absn = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), n);
    const __m256 c = _mm256_cmp_ps(absn, _mm256_set1_ps(126), _CMP_GT_OQ);
    const __m256 u = _mm256_mul_ps(b, b);
    const __m256 j = _mm256_fmadd_ps(
        _mm256_fmadd_ps(_mm256_fmadd_ps(_mm256_set1_ps(BE_EXP_C4), b, _mm256_set1_ps(BE_EXP_C3)), u,
                        _mm256_fmadd_ps(_mm256_set1_ps(BE_EXP_C2), b, _mm256_set1_ps(BE_EXP_C1))),
        u, _mm256_mul_ps(_mm256_set1_ps(BE_EXP_C0), b));
    if (!_mm256_movemask_ps(c)) return _mm256_fmadd_ps(j, k, k);
    const __m256i g = _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(n, _mm256_setzero_ps(), _CMP_LE_OQ)),
                                       _mm256_set1_epi32((int)0x82000000u));
    const __m256 s1 = _mm256_castsi256_ps(_mm256_add_epi32(g, _mm256_set1_epi32(0x7f000000)));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_sub_epi32(e, g));
    const __m256 d = _mm256_cmp_ps(absn, _mm256_set1_ps(192), _CMP_GT_OQ);
    const __m256 scaled = _mm256_mul_ps(_mm256_fmadd_ps(s2, j, s2), s1);
    const __m256 normal = _mm256_fmadd_ps(k, j, k);
    return _mm256_blendv_ps(_mm256_blendv_ps(normal, scaled, c), _mm256_mul_ps(s1, s1), d);
}
#endif
#endif
