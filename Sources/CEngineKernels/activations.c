// RoPE and the gated SiLU in ggml's rounding order: see CEngineKernels.h.
#include "engine_common.h"

#if BE_X86
BE_AVX2 static void rope_fma(float *x, size_t heads, size_t hd, size_t n_rot, const float *cs, int neox) {
    const size_t pairs = n_rot / 2;
    for (size_t h = 0; h < heads; h++) {
        float *v = x + h * hd;
        for (size_t i = 0; i < pairs; i++) {
            const size_t a = neox ? i : 2 * i, b = neox ? i + pairs : 2 * i + 1;
            const float c = cs[2 * i], s = cs[2 * i + 1], x0 = v[a], x1 = v[b];
            v[a] = fmaf(x0, c, -(x1 * s));
            v[b] = fmaf(x0, s, x1 * c);
        }
    }
}

BE_AVX2 static void silu_mul_avx2(float *gate, const float *up, size_t rows, size_t width) {
    for (size_t r = 0; r < rows; r++) {
        float *g = gate + r * width;
        const float *u = up + r * width;
        size_t i = 0;
        for (; i + 7 < width; i += 8) {
            const __m256 x = _mm256_loadu_ps(g + i);
            const __m256 e = be_expf8(_mm256_sub_ps(_mm256_setzero_ps(), x));
            const __m256 silu = _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1), e));
            _mm256_storeu_ps(g + i, _mm256_mul_ps(silu, _mm256_loadu_ps(u + i)));
        }
        for (; i < width; i++) g[i] = (g[i] / (1.0f + expf(-g[i]))) * u[i];
    }
}
#endif

void be_rope(float *x, size_t heads, size_t head_dim, size_t n_rot, const float *cs, int neox, int avx2) {
#if BE_X86
    if (avx2) { rope_fma(x, heads, head_dim, n_rot, cs, neox); return; }
#endif
    (void)avx2;
    const size_t pairs = n_rot / 2;
    for (size_t h = 0; h < heads; h++) {
        float *v = x + h * head_dim;
        for (size_t i = 0; i < pairs; i++) {
            const size_t a = neox ? i : 2 * i, b = neox ? i + pairs : 2 * i + 1;
            const float c = cs[2 * i], s = cs[2 * i + 1], x0 = v[a], x1 = v[b];
            v[a] = fmaf(x0, c, -(x1 * s));
            v[b] = fmaf(x0, s, x1 * c);
        }
    }
}

void be_silu_mul(float *gate, const float *up, size_t rows, size_t width, int avx2) {
#if BE_X86
    if (avx2) { silu_mul_avx2(gate, up, rows, width); return; }
#endif
    (void)avx2;
    const size_t vector_width = width / 8 * 8;
    for (size_t r = 0; r < rows; r++) {
        float *g = gate + r * width;
        const float *u = up + r * width;
        for (size_t i = 0; i < width; i++) {
            const float x = g[i];
            const float silu = i < vector_width ? x / (1.0f + be_expf_lane(0.0f - x)) : x / (1.0f + expf(-x));
            g[i] = silu * u[i];
        }
    }
}
