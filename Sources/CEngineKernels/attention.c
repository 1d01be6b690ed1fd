// Attention for one query head, in ggml's order (ggml_compute_forward_mul_mat with F16 K/V,
// ggml_compute_forward_soft_max_f32): see CEngineKernels.h.
#include "engine_common.h"

float be_half_to_float_portable(uint16_t h);

// Portable ggml_vec_dot_f16: the same four 8-lane accumulators and reduction tree, lane by lane.
static float dot_f16_portable(const uint16_t *x, const uint16_t *y, size_t n) {
    const size_t np = n & ~(size_t)31;
    float acc[4][8] = {{0}};
    for (size_t i = 0; i < np; i += 32)
        for (int j = 0; j < 4; j++)
            for (int l = 0; l < 8; l++)
                acc[j][l] = fmaf(be_half_to_float_portable(x[i + 8 * j + l]), be_half_to_float_portable(y[i + 8 * j + l]), acc[j][l]);
    float a[8];
    for (int l = 0; l < 8; l++) a[l] = (acc[0][l] + acc[2][l]) + (acc[1][l] + acc[3][l]);
    const float t0 = a[0] + a[4], t1 = a[1] + a[5], t2 = a[2] + a[6], t3 = a[3] + a[7];
    double sum = (t0 + t1) + (t2 + t3);
    for (size_t i = np; i < n; i++) sum += (double)(be_half_to_float_portable(x[i]) * be_half_to_float_portable(y[i]));
    return (float)sum;
}

#if BE_X86
BE_AVX2_INLINE float dot_f16_avx2(const uint16_t *x, const uint16_t *y, size_t n) {
    const size_t np = n & ~(size_t)31;
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    for (size_t i = 0; i < np; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))),
                             _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i))), s0);
        s1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i + 8))),
                             _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i + 8))), s1);
        s2 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i + 16))),
                             _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i + 16))), s2);
        s3 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i + 24))),
                             _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i + 24))), s3);
    }
    s0 = _mm256_add_ps(s0, s2);
    s1 = _mm256_add_ps(s1, s3);
    s0 = _mm256_add_ps(s0, s1);
    const __m128 t0 = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
    const __m128 t1 = _mm_hadd_ps(t0, t0);
    double sum = _mm_cvtss_f32(_mm_hadd_ps(t1, t1));
    for (size_t i = np; i < n; i++) sum += (double)(_cvtsh_ss(x[i]) * _cvtsh_ss(y[i]));
    return (float)sum;
}

// ggml_vec_soft_max_f32 on AVX2+FMA: groups of 8 through ggml_v_expf, each group summed in f32
// as ((v0+v4)+(v2+v6)) + ((v1+v5)+(v3+v7)) and added to a double. `n` is a multiple of 8.
BE_AVX2_INLINE double softmax_exp_avx2(float *x, size_t n, float max) {
    double sum = 0;
    const __m256 vmax = _mm256_set1_ps(max);
    for (size_t i = 0; i < n; i += 8) {
        const __m256 val = be_expf8(_mm256_sub_ps(_mm256_loadu_ps(x + i), vmax));
        _mm256_storeu_ps(x + i, val);
        __m128 v = _mm_add_ps(_mm256_extractf128_ps(val, 1), _mm256_castps256_ps128(val));
        v = _mm_add_ps(v, _mm_movehl_ps(v, v));
        v = _mm_add_ss(v, _mm_movehdup_ps(v));
        sum += (double)_mm_cvtss_f32(v);
    }
    return sum;
}

BE_AVX2 static void attend_avx2(const uint16_t *keys, const uint16_t *values, const float *query,
                                size_t length, size_t hd, float scale, float *scores, uint16_t *weights, uint16_t *q16,
                                float *out) {
    be_f32_to_f16(query, q16, hd, 1);
    float max = -INFINITY;
    for (size_t t = 0; t < length; t++) {
        const float s = dot_f16_avx2(keys + t * hd, q16, hd) * scale;
        scores[t] = s;
        max = s > max ? s : max;
    }
    // Masked positions (-inf) fill the last group of 8, as ggml's padded rows do.
    const size_t padded8 = (length + 7) & ~(size_t)7, padded32 = (length + 31) & ~(size_t)31;
    for (size_t t = length; t < padded8; t++) scores[t] = -INFINITY;
    const double sum = softmax_exp_avx2(scores, padded8, max);
    const float inverse = (float)(1.0 / sum);
    for (size_t t = 0; t < length; t++) scores[t] *= inverse;
    // The weights rounded to F16 (ggml's vec_dot_type), kept as exact floats, zero past `length`.
    be_f32_to_f16(scores, weights, length, 1);
    be_f16_to_f32(weights, scores, length, 1);
    for (size_t t = length; t < padded32; t++) scores[t] = 0.0f;
    // out[d] = ggml_vec_dot_f16(V^T[d], w) over the padded length: block b holds positions
    // 32b..32b+31 of every dimension, so step b of the dot reads one 64-byte row per dimension.
    const size_t blocks = padded32 / 32;
    for (size_t d = 0; d < hd; d++) {
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
        for (size_t b = 0; b < blocks; b++) {
            const uint16_t *v = values + (b * hd + d) * 32;
            const float *w = scores + 32 * b;
            s0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)v)), _mm256_loadu_ps(w), s0);
            s1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(v + 8))), _mm256_loadu_ps(w + 8), s1);
            s2 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(v + 16))), _mm256_loadu_ps(w + 16), s2);
            s3 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(v + 24))), _mm256_loadu_ps(w + 24), s3);
        }
        s0 = _mm256_add_ps(s0, s2);
        s1 = _mm256_add_ps(s1, s3);
        s0 = _mm256_add_ps(s0, s1);
        const __m128 t0 = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
        const __m128 t1 = _mm_hadd_ps(t0, t0);
        out[d] = _mm_cvtss_f32(_mm_hadd_ps(t1, t1));
    }
}
#endif

static void attend_portable(const uint16_t *keys, const uint16_t *values, const float *query,
                            size_t length, size_t hd, float scale, float *scores, uint16_t *weights, uint16_t *q16,
                            float *out) {
    be_f32_to_f16(query, q16, hd, 0);
    float max = -INFINITY;
    for (size_t t = 0; t < length; t++) {
        const float s = dot_f16_portable(keys + t * hd, q16, hd) * scale;
        scores[t] = s;
        max = s > max ? s : max;
    }
    const size_t padded8 = (length + 7) & ~(size_t)7, padded32 = (length + 31) & ~(size_t)31;
    double sum = 0;
    for (size_t i = 0; i < padded8; i += 8) {
        float v[8];
        for (int l = 0; l < 8; l++) {
            v[l] = i + l < length ? be_expf_lane(scores[i + l] - max) : 0.0f;
            if (i + l < length) scores[i + l] = v[l];
        }
        const float w0 = v[4] + v[0], w1 = v[5] + v[1], w2 = v[6] + v[2], w3 = v[7] + v[3];
        sum += (double)((w0 + w2) + (w1 + w3));
    }
    const float inverse = (float)(1.0 / sum);
    for (size_t t = 0; t < length; t++) scores[t] *= inverse;
    be_f32_to_f16(scores, weights, length, 0);
    be_f16_to_f32(weights, scores, length, 0);
    for (size_t t = length; t < padded32; t++) scores[t] = 0.0f;
    const size_t blocks = padded32 / 32;
    for (size_t d = 0; d < hd; d++) {
        float acc[4][8] = {{0}};
        for (size_t b = 0; b < blocks; b++)
            for (int j = 0; j < 4; j++)
                for (int l = 0; l < 8; l++)
                    acc[j][l] = fmaf(be_half_to_float_portable(values[(b * hd + d) * 32 + 8 * j + l]), scores[32 * b + 8 * j + l], acc[j][l]);
        float a[8];
        for (int l = 0; l < 8; l++) a[l] = (acc[0][l] + acc[2][l]) + (acc[1][l] + acc[3][l]);
        const float t0 = a[0] + a[4], t1 = a[1] + a[5], t2 = a[2] + a[6], t3 = a[3] + a[7];
        out[d] = (t0 + t1) + (t2 + t3);
    }
}

#if BE_X86
BE_AVX2 static float dot_f16_avx2_entry(const uint16_t *x, const uint16_t *y, size_t n) { return dot_f16_avx2(x, y, n); }
#endif

float be_dot_f16(const uint16_t *x, const uint16_t *y, size_t n, int avx2) {
#if BE_X86
    if (avx2) return dot_f16_avx2_entry(x, y, n);
#endif
    (void)avx2;
    return dot_f16_portable(x, y, n);
}

void be_attend_head(const uint16_t *keys, const uint16_t *values, const float *query,
                    size_t length, size_t head_dim, float scale, float *scores, uint16_t *weights, uint16_t *q16,
                    float *out, int avx2) {
#if BE_X86
    if (avx2) { attend_avx2(keys, values, query, length, head_dim, scale, scores, weights, q16, out); return; }
#endif
    (void)avx2;
    attend_portable(keys, values, query, length, head_dim, scale, scores, weights, q16, out);
}
