// Activation encoders, bit-identical to llama.cpp's reference quantizers (quantize_row_q8_0_ref,
// quantize_row_q8_1_ref): d = amax/127 stored as fp16, codes = roundf(x * (1/d)) (half away
// from zero), and for Q8_1 s = fp16((float)sum(codes) * d). The AVX2 versions reproduce roundf
// exactly: trunc(v) plus one step away from zero when |v - trunc(v)| >= 0.5.
#include "kernel_common.h"

static void bb_quantize_q8_block(const float *x, bb_block_q8_0 *out_q8_0, bb_block_q8_1 *out_q8_1) {
    float amax = 0;
    for (int j = 0; j < 32; j++) amax = fmaxf(amax, fabsf(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    int8_t qs[32];
    int sum = 0;
    for (int j = 0; j < 32; j++) {
        qs[j] = (int8_t)roundf(x[j] * id);
        sum += qs[j];
    }
    if (out_q8_0) {
        out_q8_0->d = bb_float_to_half(d);
        memcpy(out_q8_0->qs, qs, 32);
    } else {
        out_q8_1->d = bb_float_to_half(d);
        out_q8_1->s = bb_float_to_half((float)sum * d);
        memcpy(out_q8_1->qs, qs, 32);
    }
}

void bb_quantize_q8_0_portable(const float *x, size_t k, void *out) {
    bb_block_q8_0 *y = out;
    for (size_t i = 0; i < k / 32; i++) bb_quantize_q8_block(x + 32 * i, y + i, NULL);
}

void bb_quantize_q8_1_portable(const float *x, size_t k, void *out) {
    bb_block_q8_1 *y = out;
    for (size_t i = 0; i < k / 32; i++) bb_quantize_q8_block(x + 32 * i, NULL, y + i);
}

void bb_q8_block_scales(const void *blocks, size_t n, size_t block_bytes, float *d_out, float *s_out) {
    const unsigned char *b = blocks;
    for (size_t i = 0; i < n; i++) {
        uint16_t d, s;
        memcpy(&d, b + i * block_bytes, 2);
        d_out[i] = bb_half_table[d];
        if (s_out) {
            memcpy(&s, b + i * block_bytes + 2, 2);
            s_out[i] = bb_half_table[s];
        }
    }
}

void bb_round_to_half_portable(const float *x, size_t n, float *out) {
    for (size_t i = 0; i < n; i++) out[i] = bb_half_to_float(bb_float_to_half(x[i]));
}

#if BB_X86
// roundf on 8 lanes: truncate, then step away from zero where the dropped fraction is >= 0.5.
BB_AVX2_INLINE __m256 bb_roundf_ps(__m256 v) {
    const __m256 sign_mask = _mm256_set1_ps(-0.0f);
    const __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 frac = _mm256_andnot_ps(sign_mask, _mm256_sub_ps(v, t));
    const __m256 step = _mm256_or_ps(_mm256_and_ps(v, sign_mask), _mm256_set1_ps(1.0f));
    return _mm256_add_ps(t, _mm256_and_ps(_mm256_cmp_ps(frac, _mm256_set1_ps(0.5f), _CMP_GE_OQ), step));
}

// Quantizes one block of 32: returns the codes as int8 and the block's fp32 scale d and code sum.
BB_AVX2_INLINE __m256i bb_quantize_block_avx2(const float *x, float *d_out, int *sum_out) {
    const __m256 sign_mask = _mm256_set1_ps(-0.0f);
    __m256 v0 = _mm256_loadu_ps(x), v1 = _mm256_loadu_ps(x + 8), v2 = _mm256_loadu_ps(x + 16), v3 = _mm256_loadu_ps(x + 24);
    __m256 m = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign_mask, v0), _mm256_andnot_ps(sign_mask, v1)),
                             _mm256_max_ps(_mm256_andnot_ps(sign_mask, v2), _mm256_andnot_ps(sign_mask, v3)));
    __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    const float amax = _mm_cvtss_f32(m4);
    const float d = amax / 127.0f;
    const float id = d != 0 ? 1.0f / d : 0.0f;
    const __m256 vid = _mm256_set1_ps(id);
    __m256i i0 = _mm256_cvtps_epi32(bb_roundf_ps(_mm256_mul_ps(v0, vid)));
    __m256i i1 = _mm256_cvtps_epi32(bb_roundf_ps(_mm256_mul_ps(v1, vid)));
    __m256i i2 = _mm256_cvtps_epi32(bb_roundf_ps(_mm256_mul_ps(v2, vid)));
    __m256i i3 = _mm256_cvtps_epi32(bb_roundf_ps(_mm256_mul_ps(v3, vid)));
    __m256i s = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
    __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
    s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4e));
    s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xb1));
    *sum_out = _mm_cvtsi128_si32(s4);
    *d_out = d;
    // Pack 4x8 int32 to 32 int8; the packs work per 128-bit lane, so restore the order after.
    __m256i p01 = _mm256_packs_epi32(i0, i1), p23 = _mm256_packs_epi32(i2, i3);
    __m256i p = _mm256_packs_epi16(p01, p23);
    return _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

BB_AVX2 void bb_quantize_q8_0_avx2(const float *x, size_t k, void *out) {
    bb_block_q8_0 *y = out;
    for (size_t i = 0; i < k / 32; i++) {
        float d;
        int sum;
        __m256i q = bb_quantize_block_avx2(x + 32 * i, &d, &sum);
        y[i].d = (uint16_t)_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);
        _mm256_storeu_si256((__m256i *)y[i].qs, q);
    }
}

BB_AVX2 void bb_quantize_q8_1_avx2(const float *x, size_t k, void *out) {
    bb_block_q8_1 *y = out;
    for (size_t i = 0; i < k / 32; i++) {
        float d;
        int sum;
        __m256i q = bb_quantize_block_avx2(x + 32 * i, &d, &sum);
        y[i].d = (uint16_t)_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);
        y[i].s = (uint16_t)_cvtss_sh((float)sum * d, _MM_FROUND_TO_NEAREST_INT);
        _mm256_storeu_si256((__m256i *)y[i].qs, q);
    }
}

BB_AVX2 void bb_round_to_half_avx2(const float *x, size_t n, float *out) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT);
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(h));
    }
    for (; i < n; i++) out[i] = bb_half_to_float(bb_float_to_half(x[i]));
}
#else
void bb_quantize_q8_0_avx2(const float *x, size_t k, void *out) { bb_quantize_q8_0_portable(x, k, out); }
void bb_quantize_q8_1_avx2(const float *x, size_t k, void *out) { bb_quantize_q8_1_portable(x, k, out); }
void bb_round_to_half_avx2(const float *x, size_t n, float *out) { bb_round_to_half_portable(x, n, out); }
#endif
