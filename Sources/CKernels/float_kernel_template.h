// GEMV and GEMM bodies shared by the F32 and F16 kernels. The including file defines:
//   BB_FMT         name stem (f32, f16)
//   BB_WT          stored weight element type
//   BB_LOAD8(p)    8 weights at p as __m256 (AVX2 path)
//   BB_SCALAR(v)   one stored weight as float (portable path and tails)
// Activations are floats (for F16 already rounded to half, as ggml converts them).
//
// Why the summation order is fixed: float addition is not associative, so a product whose terms
// are added in another order differs in the last bits, and a model amplifies that (0.09 in the
// logits of a random F32 model). `bitbench eval` must not depend on the batch size, so every
// output y[b][m] is summed in ONE canonical order per path, whichever kernel computes it (GEMV at
// batch 1, GEMM at any batch, any register tile, any row split across workers):
//
//   AVX2 (BB_KC_AVX2 = 1024):
//     total = 0
//     for each slice [k0, k1) of k (k0 = 0, 1024, 2048, ...):
//       acc = 8 zero lanes; for i = k0, k0+8, ... < kv (kv = k0 + (k1-k0)/8*8):
//         acc = fma(w[i..i+7], x[i..i+7], acc)          (one chain per row and token)
//       p = bb_hsum_ps(acc); for i in kv..<k1: p = fma(w[i], x[i], p)
//       total = total + p
//   portable (BB_KC_PORTABLE = 512): per slice, 16 lane sums over 16-element steps, added in lane
//   order, the slice's tail added one product at a time, and the slice sum added to the total.
//   (A compiler may contract its products into FMAs on targets that have them, e.g. NEON; GEMV
//   and GEMM share _slice_portable, so they are contracted alike.)
//
// The GEMM keeps its cache blocking (slices of k, blocks of rows, 2x6 register tiles) because
// each tile accumulator is exactly one (row, token) chain of one slice; the GEMV hides the FMA
// latency of its single chain per row by walking 4 rows at once. Tests/KernelsTests check
// GEMM == per-token GEMV bit for bit.
#define BB_CAT3(a, b, c) a##b##c
#define BB_NAME(fmt, suffix) BB_CAT3(bb_, fmt, suffix)

#define BB_KC_AVX2 1024
#define BB_KC_PORTABLE 512
// The GEMV's 4 row streams advance together, so 1 KiB ahead on each keeps about the 4 KiB of
// weights in flight that suit one stream (kernel_common.h). Measured (4096x4096, DRAM, medians of
// 40, CPU time): F16 1 thread 12.7 GB/s with 1 KiB vs 11.4 with 4 KiB; F32 14.7 vs 14.1.
#define BB_GEMV_PREFETCH_BYTES (BB_PREFETCH_BYTES / 4)

static inline const BB_WT *BB_NAME(BB_FMT, _row)(const bb_matmul_args *a, size_t m) {
    return (const BB_WT *)((const char *)a->weights + m * a->row_bytes);
}

static inline const float *BB_NAME(BB_FMT, _token)(const bb_matmul_args *a, size_t b) {
    return (const float *)((const char *)a->act + b * a->act_stride);
}

#if BB_X86
// The end of one (row, token) chain of a slice: the fixed horizontal sum, then the slice's tail
// (only the last slice has one), one explicit fused multiply-add per weight.
BB_AVX2_INLINE float BB_NAME(BB_FMT, _finish)(__m256 acc, const BB_WT *w, const float *x, size_t kv, size_t k1) {
    float p = bb_hsum_ps(acc);
    for (size_t i = kv; i < k1; i++)
        p = _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(BB_SCALAR(w[i])), _mm_set_ss(x[i]), _mm_set_ss(p)));
    return p;
}

// 4 weight rows x 1 token over one slice: 4 independent chains, so the FMA latency is hidden
// while 4 row streams are read. The GEMV passes prefetch = 1 (weights come from DRAM): one
// prefetch per 64-byte line of each row, BB_GEMV_PREFETCH_BYTES ahead.
BB_AVX2_INLINE void BB_NAME(BB_FMT, _tile_4x1)(const BB_WT *const w[4], const float *x, size_t k0, size_t kv,
                                               size_t k1, int prefetch, float out[4]) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    const BB_WT *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3];
#define BB_STEP4(j)                                                  \
    do {                                                             \
        const __m256 xv = _mm256_loadu_ps(x + (j));                  \
        a0 = _mm256_fmadd_ps(BB_LOAD8(w0 + (j)), xv, a0);            \
        a1 = _mm256_fmadd_ps(BB_LOAD8(w1 + (j)), xv, a1);            \
        a2 = _mm256_fmadd_ps(BB_LOAD8(w2 + (j)), xv, a2);            \
        a3 = _mm256_fmadd_ps(BB_LOAD8(w3 + (j)), xv, a3);            \
    } while (0)
    size_t i = k0;
    if (prefetch) {
        // 32 weights per row per step; the chains still advance 8 weights at a time, in order.
        for (; i + 32 <= kv; i += 32) {
            for (size_t line = 0; line < 32 * sizeof(BB_WT); line += 64) {
                BB_PREFETCH((const char *)(w0 + i) + BB_GEMV_PREFETCH_BYTES + line);
                BB_PREFETCH((const char *)(w1 + i) + BB_GEMV_PREFETCH_BYTES + line);
                BB_PREFETCH((const char *)(w2 + i) + BB_GEMV_PREFETCH_BYTES + line);
                BB_PREFETCH((const char *)(w3 + i) + BB_GEMV_PREFETCH_BYTES + line);
            }
            BB_STEP4(i);
            BB_STEP4(i + 8);
            BB_STEP4(i + 16);
            BB_STEP4(i + 24);
        }
    }
    for (; i < kv; i += 8) BB_STEP4(i);
#undef BB_STEP4
    out[0] = BB_NAME(BB_FMT, _finish)(a0, w0, x, kv, k1);
    out[1] = BB_NAME(BB_FMT, _finish)(a1, w1, x, kv, k1);
    out[2] = BB_NAME(BB_FMT, _finish)(a2, w2, x, kv, k1);
    out[3] = BB_NAME(BB_FMT, _finish)(a3, w3, x, kv, k1);
}

// 1 weight row x 1 token over one slice (rows left over by the 4-row tiles).
BB_AVX2_INLINE float BB_NAME(BB_FMT, _tile_1x1)(const BB_WT *w, const float *x, size_t k0, size_t kv, size_t k1) {
    __m256 acc = _mm256_setzero_ps();
    for (size_t i = k0; i < kv; i += 8) acc = _mm256_fmadd_ps(BB_LOAD8(w + i), _mm256_loadu_ps(x + i), acc);
    return BB_NAME(BB_FMT, _finish)(acc, w, x, kv, k1);
}

// 2 weight rows x 6 tokens over one slice, 12 chains: each weight vector is loaded (and for F16
// converted) once for 6 tokens.
BB_AVX2_INLINE void BB_NAME(BB_FMT, _tile_2x6)(const BB_WT *w0, const BB_WT *w1, const float *x, size_t xs,
                                               size_t k0, size_t kv, size_t k1, float out[2][6]) {
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
#define BB_FINISH2(t, acc_a, acc_b)                                           \
    do {                                                                      \
        out[0][t] = BB_NAME(BB_FMT, _finish)(acc_a, w0, x + (t) * xs, kv, k1); \
        out[1][t] = BB_NAME(BB_FMT, _finish)(acc_b, w1, x + (t) * xs, kv, k1); \
    } while (0)
    // Written out (no accumulator array), so the 12 sums stay in registers.
    BB_FINISH2(0, a0, b0); BB_FINISH2(1, a1, b1); BB_FINISH2(2, a2, b2);
    BB_FINISH2(3, a3, b3); BB_FINISH2(4, a4, b4); BB_FINISH2(5, a5, b5);
#undef BB_FINISH2
}

// 1 weight row x 6 tokens over one slice (an odd row left over by the 2x6 tiles).
BB_AVX2_INLINE void BB_NAME(BB_FMT, _tile_1x6)(const BB_WT *w, const float *x, size_t xs,
                                               size_t k0, size_t kv, size_t k1, float out[6]) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps();
    __m256 a3 = _mm256_setzero_ps(), a4 = _mm256_setzero_ps(), a5 = _mm256_setzero_ps();
    for (size_t i = k0; i < kv; i += 8) {
        const __m256 wv = BB_LOAD8(w + i);
        a0 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + i), a0);
        a1 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + xs + i), a1);
        a2 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 2 * xs + i), a2);
        a3 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 3 * xs + i), a3);
        a4 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 4 * xs + i), a4);
        a5 = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + 5 * xs + i), a5);
    }
    out[0] = BB_NAME(BB_FMT, _finish)(a0, w, x, kv, k1);
    out[1] = BB_NAME(BB_FMT, _finish)(a1, w, x + xs, kv, k1);
    out[2] = BB_NAME(BB_FMT, _finish)(a2, w, x + 2 * xs, kv, k1);
    out[3] = BB_NAME(BB_FMT, _finish)(a3, w, x + 3 * xs, kv, k1);
    out[4] = BB_NAME(BB_FMT, _finish)(a4, w, x + 4 * xs, kv, k1);
    out[5] = BB_NAME(BB_FMT, _finish)(a5, w, x + 5 * xs, kv, k1);
}

// One token against rows [m0, m1) over one slice, adding each slice sum into y (ys = 1 for the
// GEMV's running totals, the token's output row for GEMM leftovers).
BB_AVX2_INLINE void BB_NAME(BB_FMT, _rows_x1)(const bb_matmul_args *a, size_t m0, size_t m1, const float *x,
                                              size_t k0, size_t kv, size_t k1, int prefetch, float *y) {
    size_t m = m0;
    for (; m + 4 <= m1; m += 4) {
        const BB_WT *w[4] = {BB_NAME(BB_FMT, _row)(a, m), BB_NAME(BB_FMT, _row)(a, m + 1),
                             BB_NAME(BB_FMT, _row)(a, m + 2), BB_NAME(BB_FMT, _row)(a, m + 3)};
        float r[4];
        BB_NAME(BB_FMT, _tile_4x1)(w, x, k0, kv, k1, prefetch, r);
        y[m] += r[0]; y[m + 1] += r[1]; y[m + 2] += r[2]; y[m + 3] += r[3];
    }
    for (; m < m1; m++) y[m] += BB_NAME(BB_FMT, _tile_1x1)(BB_NAME(BB_FMT, _row)(a, m), x, k0, kv, k1);
}

// GEMV: 4 rows at a time, all slices of those rows before the next 4 (each row is streamed once,
// front to back); y[m] starts at 0 and takes the slice sums in order, as in the GEMM.
BB_AVX2 void BB_NAME(BB_FMT, _gemv_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const float *x = (const float *)a->act;
    const size_t k = a->k;
    for (size_t m0 = row_begin; m0 < row_end; m0 += 4) {
        const size_t m1 = m0 + 4 < row_end ? m0 + 4 : row_end;
        for (size_t m = m0; m < m1; m++) a->y[m] = 0;
        for (size_t k0 = 0; k0 < k; k0 += BB_KC_AVX2) {
            const size_t k1 = k0 + BB_KC_AVX2 < k ? k0 + BB_KC_AVX2 : k;
            BB_NAME(BB_FMT, _rows_x1)(a, m0, m1, x, k0, k0 + (k1 - k0) / 8 * 8, k1, 1, a->y);
        }
    }
}

// GEMM, blocked for the caches: k in BB_KC_AVX2 slices; within a slice, rows in MC-row blocks
// whose weights (MC x KC) stay in L2 while 6-token activation tiles (6 x KC floats, in L1) sweep
// over them in 2x6 register tiles. Tokens left over by the 6-token tiles take the GEMV's 4x1 tile.
BB_AVX2 void BB_NAME(BB_FMT, _gemm_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    enum { MC = 128, NR = 6 };
    const size_t k = a->k, batch = a->batch, ys = a->y_stride, xs = a->act_stride / sizeof(float);
    float *y = a->y;
    for (size_t b = 0; b < batch; b++)
        for (size_t m = row_begin; m < row_end; m++) y[b * ys + m] = 0;
    for (size_t k0 = 0; k0 < k; k0 += BB_KC_AVX2) {
        const size_t k1 = k0 + BB_KC_AVX2 < k ? k0 + BB_KC_AVX2 : k;
        const size_t kv = k0 + (k1 - k0) / 8 * 8;
        for (size_t m0 = row_begin; m0 < row_end; m0 += MC) {
            const size_t m1 = m0 + MC < row_end ? m0 + MC : row_end;
            size_t b = 0;
            for (; b + NR <= batch; b += NR) {
                const float *x = BB_NAME(BB_FMT, _token)(a, b);
                size_t m = m0;
                for (; m + 2 <= m1; m += 2) {
                    float r[2][6];
                    BB_NAME(BB_FMT, _tile_2x6)(BB_NAME(BB_FMT, _row)(a, m), BB_NAME(BB_FMT, _row)(a, m + 1),
                                               x, xs, k0, kv, k1, r);
                    for (size_t t = 0; t < NR; t++) {
                        y[(b + t) * ys + m] += r[0][t];
                        y[(b + t) * ys + m + 1] += r[1][t];
                    }
                }
                if (m < m1) {
                    float r[6];
                    BB_NAME(BB_FMT, _tile_1x6)(BB_NAME(BB_FMT, _row)(a, m), x, xs, k0, kv, k1, r);
                    for (size_t t = 0; t < NR; t++) y[(b + t) * ys + m] += r[t];
                }
            }
            for (; b < batch; b++)
                BB_NAME(BB_FMT, _rows_x1)(a, m0, m1, BB_NAME(BB_FMT, _token)(a, b), k0, kv, k1, 0, y + b * ys);
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
// on any target (SSE2, NEON). One slice of n weights; GEMV and GEMM both call it per slice.
static inline float BB_NAME(BB_FMT, _slice_portable)(const BB_WT *w, const float *x, size_t n) {
    float acc[16] = {0};
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (size_t j = 0; j < 16; j++) acc[j] += BB_SCALAR(w[i + j]) * x[i + j];
    float sum = 0;
    for (size_t j = 0; j < 16; j++) sum += acc[j];
    for (; i < n; i++) sum += BB_SCALAR(w[i]) * x[i];
    return sum;
}

void BB_NAME(BB_FMT, _gemv_portable)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const float *x = (const float *)a->act;
    const size_t k = a->k;
    for (size_t m = row_begin; m < row_end; m++) {
        const BB_WT *w = BB_NAME(BB_FMT, _row)(a, m);
        float total = 0;
        for (size_t k0 = 0; k0 < k; k0 += BB_KC_PORTABLE)
            total += BB_NAME(BB_FMT, _slice_portable)(w + k0, x + k0, k0 + BB_KC_PORTABLE < k ? BB_KC_PORTABLE : k - k0);
        a->y[m] = total;
    }
}

// Slice-outer, so each row's slice is reused from cache by all tokens.
void BB_NAME(BB_FMT, _gemm_portable)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const size_t k = a->k, batch = a->batch, ys = a->y_stride;
    for (size_t b = 0; b < batch; b++)
        for (size_t m = row_begin; m < row_end; m++) a->y[b * ys + m] = 0;
    for (size_t k0 = 0; k0 < k; k0 += BB_KC_PORTABLE) {
        const size_t n = k0 + BB_KC_PORTABLE < k ? BB_KC_PORTABLE : k - k0;
        for (size_t m = row_begin; m < row_end; m++) {
            const BB_WT *w = BB_NAME(BB_FMT, _row)(a, m) + k0;
            for (size_t b = 0; b < batch; b++)
                a->y[b * ys + m] += BB_NAME(BB_FMT, _slice_portable)(w, BB_NAME(BB_FMT, _token)(a, b) + k0, n);
        }
    }
}

#undef BB_KC_AVX2
#undef BB_KC_PORTABLE
#undef BB_GEMV_PREFETCH_BYTES
