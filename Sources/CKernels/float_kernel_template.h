// GEMV and GEMM bodies shared by the F32 and F16 kernels. The including file defines:
//   BB_FMT         name stem (f32, f16)
//   BB_WT          stored weight element type
//   BB_LOAD8(p)    8 weights at p as __m256 (AVX2 path)
//   BB_SCALAR(v)   one stored weight as float (portable path and tails)
// Activations are floats (for F16 already rounded to half, as ggml converts them).
#define BB_CAT3(a, b, c) a##b##c
#define BB_NAME(fmt, suffix) BB_CAT3(bb_, fmt, suffix)

// GEMM tiling: 2 rows x 4 tokens per register tile; the k range is cut into KC-element blocks so
// the 4-token activation tile (and all tokens' block) stays in L2 while the weight rows stay in L1.
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
                _mm_prefetch((const char *)(w + i) + BB_PREFETCH_BYTES + line, _MM_HINT_T0);
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

BB_AVX2 void BB_NAME(BB_FMT, _gemm_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const size_t k = a->k, batch = a->batch, ys = a->y_stride;
    float *y = a->y;
    for (size_t b = 0; b < batch; b++)
        for (size_t m = row_begin; m < row_end; m++) y[b * ys + m] = 0;
    for (size_t k0 = 0; k0 < k; k0 += BB_GEMM_KC) {
        const size_t k1 = k0 + BB_GEMM_KC < k ? k0 + BB_GEMM_KC : k;
        const size_t kv = k0 + (k1 - k0) / 8 * 8;
        size_t m = row_begin;
        for (; m + 2 <= row_end; m += 2) {
            const BB_WT *w0 = BB_NAME(BB_FMT, _row)(a, m), *w1 = BB_NAME(BB_FMT, _row)(a, m + 1);
            size_t b = 0;
            for (; b + 4 <= batch; b += 4) {
                const float *x0 = BB_NAME(BB_FMT, _token)(a, b), *x1 = BB_NAME(BB_FMT, _token)(a, b + 1);
                const float *x2 = BB_NAME(BB_FMT, _token)(a, b + 2), *x3 = BB_NAME(BB_FMT, _token)(a, b + 3);
                __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c02 = _mm256_setzero_ps(), c03 = _mm256_setzero_ps();
                __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps(), c12 = _mm256_setzero_ps(), c13 = _mm256_setzero_ps();
                for (size_t i = k0; i < kv; i += 8) {
                    __m256 wa = BB_LOAD8(w0 + i), wb = BB_LOAD8(w1 + i);
                    __m256 xv = _mm256_loadu_ps(x0 + i);
                    c00 = _mm256_fmadd_ps(wa, xv, c00); c10 = _mm256_fmadd_ps(wb, xv, c10);
                    xv = _mm256_loadu_ps(x1 + i);
                    c01 = _mm256_fmadd_ps(wa, xv, c01); c11 = _mm256_fmadd_ps(wb, xv, c11);
                    xv = _mm256_loadu_ps(x2 + i);
                    c02 = _mm256_fmadd_ps(wa, xv, c02); c12 = _mm256_fmadd_ps(wb, xv, c12);
                    xv = _mm256_loadu_ps(x3 + i);
                    c03 = _mm256_fmadd_ps(wa, xv, c03); c13 = _mm256_fmadd_ps(wb, xv, c13);
                }
                float r0[4] = {bb_hsum_ps(c00), bb_hsum_ps(c01), bb_hsum_ps(c02), bb_hsum_ps(c03)};
                float r1[4] = {bb_hsum_ps(c10), bb_hsum_ps(c11), bb_hsum_ps(c12), bb_hsum_ps(c13)};
                const float *xs[4] = {x0, x1, x2, x3};
                for (size_t t = 0; t < 4; t++) {
                    for (size_t i = kv; i < k1; i++) {
                        r0[t] += BB_SCALAR(w0[i]) * xs[t][i];
                        r1[t] += BB_SCALAR(w1[i]) * xs[t][i];
                    }
                    y[(b + t) * ys + m] += r0[t];
                    y[(b + t) * ys + m + 1] += r1[t];
                }
            }
            for (; b < batch; b++) {
                const float *x0 = BB_NAME(BB_FMT, _token)(a, b);
                __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps();
                for (size_t i = k0; i < kv; i += 8) {
                    __m256 xv = _mm256_loadu_ps(x0 + i);
                    c0 = _mm256_fmadd_ps(BB_LOAD8(w0 + i), xv, c0);
                    c1 = _mm256_fmadd_ps(BB_LOAD8(w1 + i), xv, c1);
                }
                float s0 = bb_hsum_ps(c0), s1 = bb_hsum_ps(c1);
                for (size_t i = kv; i < k1; i++) {
                    s0 += BB_SCALAR(w0[i]) * x0[i];
                    s1 += BB_SCALAR(w1[i]) * x0[i];
                }
                y[b * ys + m] += s0;
                y[b * ys + m + 1] += s1;
            }
        }
        for (; m < row_end; m++) {
            const BB_WT *w0 = BB_NAME(BB_FMT, _row)(a, m);
            for (size_t b = 0; b < batch; b++) {
                const float *x0 = BB_NAME(BB_FMT, _token)(a, b);
                __m256 c0 = _mm256_setzero_ps();
                for (size_t i = k0; i < kv; i += 8) c0 = _mm256_fmadd_ps(BB_LOAD8(w0 + i), _mm256_loadu_ps(x0 + i), c0);
                float s0 = bb_hsum_ps(c0);
                for (size_t i = kv; i < k1; i++) s0 += BB_SCALAR(w0[i]) * x0[i];
                y[b * ys + m] += s0;
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
