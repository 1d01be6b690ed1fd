// GEMV and GEMM bodies shared by the F32 and F16 kernels. The including file defines:
//   BB_FMT         name stem (f32, f16)
//   BB_WT          stored weight element type
//   BB_LOAD8(p)    8 weights at p as __m256 (AVX2 path)
//   BB_SCALAR(v)   one stored weight as float (portable path and tails)
// Activations are floats (for F16 already rounded to half, as ggml converts them).
#define BB_CAT3(a, b, c) a##b##c
#define BB_NAME(fmt, suffix) BB_CAT3(bb_, fmt, suffix)

// The portable GEMM cuts k into KC-element slices so each row slice is reused from cache by all tokens.
#define BB_GEMM_KC 512

static inline const BB_WT *BB_NAME(BB_FMT, _row)(const bb_matmul_args *a, size_t m) {
    return (const BB_WT *)((const char *)a->weights + m * a->row_bytes);
}

static inline const float *BB_NAME(BB_FMT, _token)(const bb_matmul_args *a, size_t b) {
    return (const float *)((const char *)a->act + b * a->act_stride);
}

#if BB_X86
BB_AVX2 void BB_NAME(BB_FMT, _gemv_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const float *x = (const float *)a->act;
    const size_t k = a->k;
    for (size_t m = row_begin; m < row_end; m++) {
        const BB_WT *w = BB_NAME(BB_FMT, _row)(a, m);
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
        __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
        size_t i = 0;
        // 64 weights per step: one prefetch per 64-byte line of weights, about 1 KiB ahead.
        for (; i + 64 <= k; i += 64) {
            for (size_t line = 0; line < 64 * sizeof(BB_WT); line += 64)
                BB_PREFETCH((const char *)(w + i) + BB_PREFETCH_BYTES + line);
            s0 = _mm256_fmadd_ps(BB_LOAD8(w + i), _mm256_loadu_ps(x + i), s0);
            s1 = _mm256_fmadd_ps(BB_LOAD8(w + i + 8), _mm256_loadu_ps(x + i + 8), s1);
            s2 = _mm256_fmadd_ps(BB_LOAD8(w + i + 16), _mm256_loadu_ps(x + i + 16), s2);
            s3 = _mm256_fmadd_ps(BB_LOAD8(w + i + 24), _mm256_loadu_ps(x + i + 24), s3);
            s0 = _mm256_fmadd_ps(BB_LOAD8(w + i + 32), _mm256_loadu_ps(x + i + 32), s0);
            s1 = _mm256_fmadd_ps(BB_LOAD8(w + i + 40), _mm256_loadu_ps(x + i + 40), s1);
            s2 = _mm256_fmadd_ps(BB_LOAD8(w + i + 48), _mm256_loadu_ps(x + i + 48), s2);
            s3 = _mm256_fmadd_ps(BB_LOAD8(w + i + 56), _mm256_loadu_ps(x + i + 56), s3);
        }
        for (; i + 8 <= k; i += 8) s0 = _mm256_fmadd_ps(BB_LOAD8(w + i), _mm256_loadu_ps(x + i), s0);
        float sum = bb_hsum_ps(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
        for (; i < k; i++) sum += BB_SCALAR(w[i]) * x[i];
        a->y[m] = sum;
    }
}

// One register tile: 2 weight rows x 6 tokens over k in [k0, kv) (kv - k0 a multiple of 8),
// 12 accumulators; each weight vector is loaded (and for F16 converted) once for 6 tokens.
BB_AVX2_INLINE void BB_NAME(BB_FMT, _tile_2x6)(const BB_WT *w0, const BB_WT *w1, const float *x, size_t xs,
                                               size_t k0, size_t kv, float out[2][6]) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps();
    __m256 a3 = _mm256_setzero_ps(), a4 = _mm256_setzero_ps(), a5 = _mm256_setzero_ps();
    __m256 b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps(), b2 = _mm256_setzero_ps();
    __m256 b3 = _mm256_setzero_ps(), b4 = _mm256_setzero_ps(), b5 = _mm256_setzero_ps();
    for (size_t i = k0; i < kv; i += 8) {
        const __m256 wa = BB_LOAD8(w0 + i), wb = BB_LOAD8(w1 + i);
        __m256 xv = _mm256_loadu_ps(x + i);
        a0 = _mm256_fmadd_ps(wa, xv, a0); b0 = _mm256_fmadd_ps(wb, xv, b0);
        xv = _mm256_loadu_ps(x + xs + i);
        a1 = _mm256_fmadd_ps(wa, xv, a1); b1 = _mm256_fmadd_ps(wb, xv, b1);
        xv = _mm256_loadu_ps(x + 2 * xs + i);
        a2 = _mm256_fmadd_ps(wa, xv, a2); b2 = _mm256_fmadd_ps(wb, xv, b2);
        xv = _mm256_loadu_ps(x + 3 * xs + i);
        a3 = _mm256_fmadd_ps(wa, xv, a3); b3 = _mm256_fmadd_ps(wb, xv, b3);
        xv = _mm256_loadu_ps(x + 4 * xs + i);
        a4 = _mm256_fmadd_ps(wa, xv, a4); b4 = _mm256_fmadd_ps(wb, xv, b4);
        xv = _mm256_loadu_ps(x + 5 * xs + i);
        a5 = _mm256_fmadd_ps(wa, xv, a5); b5 = _mm256_fmadd_ps(wb, xv, b5);
    }
    out[0][0] = bb_hsum_ps(a0); out[0][1] = bb_hsum_ps(a1); out[0][2] = bb_hsum_ps(a2);
    out[0][3] = bb_hsum_ps(a3); out[0][4] = bb_hsum_ps(a4); out[0][5] = bb_hsum_ps(a5);
    out[1][0] = bb_hsum_ps(b0); out[1][1] = bb_hsum_ps(b1); out[1][2] = bb_hsum_ps(b2);
    out[1][3] = bb_hsum_ps(b3); out[1][4] = bb_hsum_ps(b4); out[1][5] = bb_hsum_ps(b5);
}

// One weight row against one token over [k0, k1), tail included.
BB_AVX2_INLINE float BB_NAME(BB_FMT, _dot_range_avx2)(const BB_WT *w, const float *x, size_t k0, size_t k1) {
    __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps();
    size_t i = k0;
    for (; i + 16 <= k1; i += 16) {
        c0 = _mm256_fmadd_ps(BB_LOAD8(w + i), _mm256_loadu_ps(x + i), c0);
        c1 = _mm256_fmadd_ps(BB_LOAD8(w + i + 8), _mm256_loadu_ps(x + i + 8), c1);
    }
    for (; i + 8 <= k1; i += 8) c0 = _mm256_fmadd_ps(BB_LOAD8(w + i), _mm256_loadu_ps(x + i), c0);
    float sum = bb_hsum_ps(_mm256_add_ps(c0, c1));
    for (; i < k1; i++) sum += BB_SCALAR(w[i]) * x[i];
    return sum;
}

// GEMM, blocked for the caches: k in KC-element slices; within a slice, rows in MC-row blocks
// whose weights (MC x KC) stay in L2 while 6-token activation tiles (6 x KC floats, in L1) sweep
// over them in 2x6 register tiles. Partial sums of each slice are added into y.
BB_AVX2 void BB_NAME(BB_FMT, _gemm_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    enum { KC = 1024, MC = 128, NR = 6 };
    const size_t k = a->k, batch = a->batch, ys = a->y_stride, xs = a->act_stride / sizeof(float);
    float *y = a->y;
    for (size_t b = 0; b < batch; b++)
        for (size_t m = row_begin; m < row_end; m++) y[b * ys + m] = 0;
    for (size_t k0 = 0; k0 < k; k0 += KC) {
        const size_t k1 = k0 + KC < k ? k0 + KC : k;
        const size_t kv = k0 + (k1 - k0) / 8 * 8;
        for (size_t m0 = row_begin; m0 < row_end; m0 += MC) {
            const size_t m1 = m0 + MC < row_end ? m0 + MC : row_end;
            size_t b = 0;
            for (; b + NR <= batch; b += NR) {
                const float *x = BB_NAME(BB_FMT, _token)(a, b);
                size_t m = m0;
                for (; m + 2 <= m1; m += 2) {
                    const BB_WT *w0 = BB_NAME(BB_FMT, _row)(a, m), *w1 = BB_NAME(BB_FMT, _row)(a, m + 1);
                    float r[2][6];
                    BB_NAME(BB_FMT, _tile_2x6)(w0, w1, x, xs, k0, kv, r);
                    for (size_t t = 0; t < NR; t++) {
                        for (size_t i = kv; i < k1; i++) {
                            r[0][t] += BB_SCALAR(w0[i]) * x[t * xs + i];
                            r[1][t] += BB_SCALAR(w1[i]) * x[t * xs + i];
                        }
                        y[(b + t) * ys + m] += r[0][t];
                        y[(b + t) * ys + m + 1] += r[1][t];
                    }
                }
                for (; m < m1; m++)
                    for (size_t t = 0; t < NR; t++)
                        y[(b + t) * ys + m] += BB_NAME(BB_FMT, _dot_range_avx2)(BB_NAME(BB_FMT, _row)(a, m), x + t * xs, k0, k1);
            }
            for (; b < batch; b++) {
                const float *x = BB_NAME(BB_FMT, _token)(a, b);
                for (size_t m = m0; m < m1; m++)
                    y[b * ys + m] += BB_NAME(BB_FMT, _dot_range_avx2)(BB_NAME(BB_FMT, _row)(a, m), x, k0, k1);
            }
        }
    }
}
#else
void BB_NAME(BB_FMT, _gemv_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    BB_NAME(BB_FMT, _gemv_portable)(a, row_begin, row_end);
}
void BB_NAME(BB_FMT, _gemm_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    BB_NAME(BB_FMT, _gemm_portable)(a, row_begin, row_end);
}
#endif

// Portable path: plain C with 16 independent partial sums, which compilers turn into SIMD code
// on any target (SSE2, NEON).
static inline float BB_NAME(BB_FMT, _dot_portable)(const BB_WT *w, const float *x, size_t k) {
    float acc[16] = {0};
    size_t i = 0;
    for (; i + 16 <= k; i += 16)
        for (size_t j = 0; j < 16; j++) acc[j] += BB_SCALAR(w[i + j]) * x[i + j];
    float sum = 0;
    for (size_t j = 0; j < 16; j++) sum += acc[j];
    for (; i < k; i++) sum += BB_SCALAR(w[i]) * x[i];
    return sum;
}

void BB_NAME(BB_FMT, _gemv_portable)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const float *x = (const float *)a->act;
    for (size_t m = row_begin; m < row_end; m++)
        a->y[m] = BB_NAME(BB_FMT, _dot_portable)(BB_NAME(BB_FMT, _row)(a, m), x, a->k);
}

void BB_NAME(BB_FMT, _gemm_portable)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const size_t k = a->k, batch = a->batch, ys = a->y_stride;
    for (size_t b = 0; b < batch; b++)
        for (size_t m = row_begin; m < row_end; m++) a->y[b * ys + m] = 0;
    // The same k blocking as the AVX2 path; each weight row block is reused across all tokens.
    for (size_t k0 = 0; k0 < k; k0 += BB_GEMM_KC) {
        const size_t n = k0 + BB_GEMM_KC < k ? BB_GEMM_KC : k - k0;
        for (size_t m = row_begin; m < row_end; m++) {
            const BB_WT *w = BB_NAME(BB_FMT, _row)(a, m) + k0;
            for (size_t b = 0; b < batch; b++)
                a->y[b * ys + m] += BB_NAME(BB_FMT, _dot_portable)(w, BB_NAME(BB_FMT, _token)(a, b) + k0, n);
        }
    }
}

#undef BB_GEMM_KC
