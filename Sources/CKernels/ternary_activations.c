// Activation encoders of the ternary formats and the TL lookup-table builders. The portable and
// AVX2 versions produce identical bytes (tests compare them with the Swift reference encoders).
#pragma clang fp contract(off)
#include "ternary_kernels.h"
#include "ternary_internal.h"
#include <math.h>

// Magnitude m of a TL2 triple decodes to these trits (balanced ternary, FORMATS.md 2.3.3).
static const int8_t kTripleTrits[16][3] = {
    {0, 0, 0}, {0, 0, 1}, {0, 1, -1}, {0, 1, 0}, {0, 1, 1}, {1, -1, -1}, {1, -1, 0}, {1, -1, 1},
    {1, 0, -1}, {1, 0, 0}, {1, 0, 1}, {1, 1, -1}, {1, 1, 0}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0},
};

// ---------------------------------------------------------------- portable

void bb_ternary_quantize_i8s_portable(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                      float *scales, int32_t *sums) {
    for (int64_t b = 0; b < batch; b++) {
        const float *xb = x + b * k;
        int8_t *qb = q + b * q_stride;
        float amax = 0.0f;
        for (int64_t i = 0; i < k; i++) {
            float a = fabsf(xb[i]);
            if (a > amax) amax = a;
        }
        // max(1e-5, max|x|) and 127/amax in double, rounded once to f32 (quantize_row_i8_s).
        double m = (double)amax > 0.00001 ? (double)amax : 0.00001;
        float s = (float)(127.0 / m);
        int32_t sum = 0;
        for (int64_t i = 0; i < k; i++) {
            int32_t v = bb_nearest_int(xb[i] * s);
            v = v > 127 ? 127 : (v < -128 ? -128 : v);
            sum += v;
            qb[i] = (int8_t)v;
        }
        scales[b] = s;
        sums[b] = sum;
    }
}

void bb_ternary_quantize_lut_portable(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                      float *scales) {
    for (int64_t b = 0; b < batch; b++) {
        const float *xb = x + b * k;
        int8_t *qb = q + b * q_stride;
        float amax = 0.0f;
        for (int64_t i = 0; i < k; i++) {
            float a = fabsf(xb[i]);
            if (a > amax) amax = a;
        }
        float s = 127.0f / amax;
        scales[b] = s;
        if (amax == 0.0f) {
            memset(qb, 0, (size_t)k);
            continue;
        }
        for (int64_t i = 0; i < k; i++) {
            int32_t v = bb_nearest_int(xb[i] * s);
            qb[i] = (int8_t)(v > 127 ? 127 : (v < -127 ? -127 : v));
        }
    }
}

void bb_ternary_quantize_q8k_portable(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                      float *scales, int32_t *sums) {
    const int64_t blocks = k / 256;
    for (int64_t b = 0; b < batch; b++) {
        for (int64_t blk = 0; blk < blocks; blk++) {
            const float *xb = x + b * k + blk * 256;
            int8_t *qb = q + b * q_stride + blk * 256;
            float amax = 0.0f, max = 0.0f;
            for (int j = 0; j < 256; j++) {
                float a = fabsf(xb[j]);
                if (a > amax) { amax = a; max = xb[j]; }
            }
            int64_t slot = b * blocks + blk;
            if (amax == 0.0f) {
                scales[slot] = 0.0f;
                sums[slot] = 0;
                memset(qb, 0, 256);
                continue;
            }
            const float iscale = -127.0f / max;
            int32_t sum = 0;
            for (int j = 0; j < 256; j++) {
                int32_t v = bb_nearest_int(iscale * xb[j]);
                v = v > 127 ? 127 : (v < -128 ? -128 : v);
                qb[j] = (int8_t)v;
                sum += v;
            }
            scales[slot] = 1.0f / iscale;
            sums[slot] = sum;
        }
    }
}

static void store_table(int8_t *table, const int16_t entries[16]) {
    for (int m = 0; m < 16; m++) {
        uint16_t e = (uint16_t)entries[m];
        table[m] = (int8_t)(e & 0xff);
        table[16 + m] = (int8_t)(e >> 8);
    }
}

void bb_ternary_tl_tables_portable(const int8_t *q, int64_t k3, int64_t k2, int8_t *tables) {
    int16_t entries[16];
    for (int64_t j = 0; j < k3 / 3; j++) {
        const int b0 = q[3 * j], b1 = q[3 * j + 1], b2 = q[3 * j + 2];
        for (int m = 0; m < 16; m++) {
            entries[m] = (int16_t)(kTripleTrits[m][0] * b0 + kTripleTrits[m][1] * b1 + kTripleTrits[m][2] * b2);
        }
        store_table(tables + 32 * j, entries);
    }
    int8_t *pairs = tables + 32 * (k3 / 3);
    for (int64_t i = 0; i < k2 / 2; i++) {
        const int b0 = q[k3 + 2 * i], b1 = q[k3 + 2 * i + 1];
        for (int m = 0; m < 16; m++) {
            entries[m] = m <= 8 ? (int16_t)((m / 3 - 1) * b0 + (m % 3 - 1) * b1) : 0;
        }
        store_table(pairs + 32 * i, entries);
    }
}

// ---------------------------------------------------------------- AVX2

#if defined(__x86_64__)

BB_AVX2_INLINE float hmax_ps(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

// max|x| over k floats; NaNs are skipped as the scalar `a > amax` loops skip them.
BB_AVX2_INLINE float absmax_avx2(const float *x, int64_t k) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 m = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= k; i += 8) m = _mm256_max_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + i)), m);
    float amax = hmax_ps(m);
    for (; i < k; i++) {
        float a = fabsf(x[i]);
        if (a > amax) amax = a;
    }
    return amax;
}

// Rounds 32 floats times s to nearest-even int8 with saturation and returns their sum.
BB_AVX2_INLINE int32_t round32_avx2(const float *x, __m256 s, int8_t *out, __m256i *sum) {
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x), s));
    __m256i i1 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 8), s));
    __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 16), s));
    __m256i i3 = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 24), s));
    __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
    packed = _mm256_permutevar8x32_epi32(packed, order);
    _mm256_storeu_si256((__m256i *)out, packed);
    // Σ of the saturated bytes: widen to int16 and pair-add to int32.
    __m256i lo = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(packed));
    __m256i hi = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(packed, 1));
    const __m256i ones = _mm256_set1_epi16(1);
    *sum = _mm256_add_epi32(*sum, _mm256_add_epi32(_mm256_madd_epi16(lo, ones), _mm256_madd_epi16(hi, ones)));
    return 0;
}

BB_AVX2_INLINE int32_t hsum_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
    return _mm_cvtsi128_si32(s);
}

BB_AVX2 void bb_ternary_quantize_i8s_avx2(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                          float *scales, int32_t *sums) {
    for (int64_t b = 0; b < batch; b++) {
        const float *xb = x + b * k;
        int8_t *qb = q + b * q_stride;
        float amax = absmax_avx2(xb, k);
        double m = (double)amax > 0.00001 ? (double)amax : 0.00001;
        float s = (float)(127.0 / m);
        __m256i vsum = _mm256_setzero_si256();
        const __m256 vs = _mm256_set1_ps(s);
        int64_t i = 0;
        for (; i + 32 <= k; i += 32) round32_avx2(xb + i, vs, qb + i, &vsum);
        int32_t sum = hsum_epi32(vsum);
        for (; i < k; i++) {
            int32_t v = bb_nearest_int(xb[i] * s);
            v = v > 127 ? 127 : (v < -128 ? -128 : v);
            sum += v;
            qb[i] = (int8_t)v;
        }
        scales[b] = s;
        sums[b] = sum;
    }
}

BB_AVX2 void bb_ternary_quantize_lut_avx2(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                          float *scales) {
    for (int64_t b = 0; b < batch; b++) {
        const float *xb = x + b * k;
        int8_t *qb = q + b * q_stride;
        float amax = absmax_avx2(xb, k);
        float s = 127.0f / amax;
        scales[b] = s;
        if (amax == 0.0f) {
            memset(qb, 0, (size_t)k);
            continue;
        }
        __m256i unused = _mm256_setzero_si256();
        const __m256 vs = _mm256_set1_ps(s);
        int64_t i = 0;
        for (; i + 32 <= k; i += 32) round32_avx2(xb + i, vs, qb + i, &unused);
        for (; i < k; i++) {
            int32_t v = bb_nearest_int(xb[i] * s);
            qb[i] = (int8_t)(v > 127 ? 127 : (v < -127 ? -127 : v));
        }
    }
}

BB_AVX2 void bb_ternary_quantize_q8k_avx2(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                          float *scales, int32_t *sums) {
    const int64_t blocks = k / 256;
    for (int64_t b = 0; b < batch; b++) {
        for (int64_t blk = 0; blk < blocks; blk++) {
            const float *xb = x + b * k + blk * 256;
            int8_t *qb = q + b * q_stride + blk * 256;
            int64_t slot = b * blocks + blk;
            float amax = absmax_avx2(xb, 256);
            if (amax == 0.0f) {
                scales[slot] = 0.0f;
                sums[slot] = 0;
                memset(qb, 0, 256);
                continue;
            }
            // The first element of largest magnitude, with its sign (quantize_row_q8_K_ref).
            float max = 0.0f;
            for (int j = 0; j < 256; j++) {
                if (fabsf(xb[j]) == amax) { max = xb[j]; break; }
            }
            const float iscale = -127.0f / max;
            __m256i vsum = _mm256_setzero_si256();
            const __m256 vs = _mm256_set1_ps(iscale);
            for (int j = 0; j < 256; j += 32) round32_avx2(xb + j, vs, qb + j, &vsum);
            scales[slot] = 1.0f / iscale;
            sums[slot] = hsum_epi32(vsum);
        }
    }
}

// Entry m of a triple table is w0*b0 + w1*b1 + w2*b2 for the trits of magnitude m: sign_epi16 of
// the broadcast activations by constant ±1/0 columns.
BB_AVX2 void bb_ternary_tl_tables_avx2(const int8_t *q, int64_t k3, int64_t k2, int8_t *tables) {
    const __m256i w0 = _mm256_setr_epi16(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0);
    const __m256i w1 = _mm256_setr_epi16(0, 0, 1, 1, 1, -1, -1, -1, 0, 0, 0, 1, 1, 1, 0, 0);
    const __m256i w2 = _mm256_setr_epi16(0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1, 0, 0);
    const __m256i p0 = _mm256_setr_epi16(-1, -1, -1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0);
    const __m256i p1 = _mm256_setr_epi16(-1, 0, 1, -1, 0, 1, -1, 0, 1, 0, 0, 0, 0, 0, 0, 0);
    // Per 128-bit lane: the 8 low bytes of the int16 entries, then the 8 high bytes.
    const __m256i split = _mm256_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15,
                                           0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    for (int64_t j = 0; j < k3 / 3; j++) {
        __m256i e = _mm256_sign_epi16(_mm256_set1_epi16(q[3 * j]), w0);
        e = _mm256_add_epi16(e, _mm256_sign_epi16(_mm256_set1_epi16(q[3 * j + 1]), w1));
        e = _mm256_add_epi16(e, _mm256_sign_epi16(_mm256_set1_epi16(q[3 * j + 2]), w2));
        e = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(e, split), 0xd8);
        _mm256_storeu_si256((__m256i *)(tables + 32 * j), e);
    }
    int8_t *pairs = tables + 32 * (k3 / 3);
    for (int64_t i = 0; i < k2 / 2; i++) {
        __m256i e = _mm256_sign_epi16(_mm256_set1_epi16(q[k3 + 2 * i]), p0);
        e = _mm256_add_epi16(e, _mm256_sign_epi16(_mm256_set1_epi16(q[k3 + 2 * i + 1]), p1));
        e = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(e, split), 0xd8);
        _mm256_storeu_si256((__m256i *)(pairs + 32 * i), e);
    }
}

#endif
