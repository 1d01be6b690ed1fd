// GEMV and GEMM bodies shared by the Q8_0, Q4_0 and Q4_1 kernels: per 32-weight block an exact
// int32 dot of the weight codes with the int8 activation codes, scaled by d_w * d_a in float.
// The including file defines:
//   BB_FMT               name stem (q8_0, q4_0, q4_1)
//   BB_WBLOCK, BB_ABLOCK weight and activation block structs
//   BB_DECODE(wb)        the block's 32 weight codes as __m256i of int8 (AVX2)
//   BB_DOT(w, ab)        int32x8 partial dot of decoded codes w with activation block ab (AVX2)
//   BB_EXTRA(wb, ab)     float term added per block besides d_w*d_a*sumi (Q4_1's m*s), or 0
//   BB_SCALAR_DOT(wb, ab) the block's integer dot, plain C
#define BB_CAT3(a, b, c) a##b##c
#define BB_NAME(fmt, suffix) BB_CAT3(bb_, fmt, suffix)

static inline const BB_WBLOCK *BB_NAME(BB_FMT, _row)(const bb_matmul_args *a, size_t m) {
    return (const BB_WBLOCK *)((const char *)a->weights + m * a->row_bytes);
}

static inline const BB_ABLOCK *BB_NAME(BB_FMT, _token)(const bb_matmul_args *a, size_t b) {
    return (const BB_ABLOCK *)((const char *)a->act + b * a->act_stride);
}

#if BB_X86
BB_AVX2 void BB_NAME(BB_FMT, _gemv_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const size_t blocks = a->k / 32;
    const BB_ABLOCK *x = BB_NAME(BB_FMT, _token)(a, 0);
    for (size_t m = row_begin; m < row_end; m++) {
        const BB_WBLOCK *w = BB_NAME(BB_FMT, _row)(a, m);
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        float extra = 0;
        size_t i = 0;
        for (; i + 2 <= blocks; i += 2) {
            _mm_prefetch((const char *)(w + i) + BB_PREFETCH_BYTES, _MM_HINT_T0);
            _mm_prefetch((const char *)(w + i) + BB_PREFETCH_BYTES + 64, _MM_HINT_T0);
            __m256i d0 = BB_DOT(BB_DECODE(w + i), x + i);
            __m256i d1 = BB_DOT(BB_DECODE(w + i + 1), x + i + 1);
            float s0 = bb_half_to_float_f16c(w[i].d) * bb_half_to_float_f16c(x[i].d);
            float s1 = bb_half_to_float_f16c(w[i + 1].d) * bb_half_to_float_f16c(x[i + 1].d);
            acc0 = _mm256_fmadd_ps(_mm256_set1_ps(s0), _mm256_cvtepi32_ps(d0), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_set1_ps(s1), _mm256_cvtepi32_ps(d1), acc1);
            extra += BB_EXTRA(w + i, x + i) + BB_EXTRA(w + i + 1, x + i + 1);
        }
        for (; i < blocks; i++) {
            __m256i d0 = BB_DOT(BB_DECODE(w + i), x + i);
            float s0 = bb_half_to_float_f16c(w[i].d) * bb_half_to_float_f16c(x[i].d);
            acc0 = _mm256_fmadd_ps(_mm256_set1_ps(s0), _mm256_cvtepi32_ps(d0), acc0);
            extra += BB_EXTRA(w + i, x + i);
        }
        a->y[m] = bb_hsum_ps(_mm256_add_ps(acc0, acc1)) + extra;
    }
}

// GEMM: each weight block is decoded once per 4 tokens; the 4 tokens' activation rows (a few KiB
// each) stay in L1/L2 while one weight row is reused against all tokens.
BB_AVX2 void BB_NAME(BB_FMT, _gemm_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const size_t blocks = a->k / 32, batch = a->batch, ys = a->y_stride;
    for (size_t m = row_begin; m < row_end; m++) {
        const BB_WBLOCK *w = BB_NAME(BB_FMT, _row)(a, m);
        size_t b = 0;
        for (; b + 4 <= batch; b += 4) {
            const BB_ABLOCK *x0 = BB_NAME(BB_FMT, _token)(a, b), *x1 = BB_NAME(BB_FMT, _token)(a, b + 1);
            const BB_ABLOCK *x2 = BB_NAME(BB_FMT, _token)(a, b + 2), *x3 = BB_NAME(BB_FMT, _token)(a, b + 3);
            __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps(), c2 = _mm256_setzero_ps(), c3 = _mm256_setzero_ps();
            float e0 = 0, e1 = 0, e2 = 0, e3 = 0;
            for (size_t i = 0; i < blocks; i++) {
                const __m256i wq = BB_DECODE(w + i);
                const float dw = bb_half_to_float_f16c(w[i].d);
                c0 = _mm256_fmadd_ps(_mm256_set1_ps(dw * bb_half_to_float_f16c(x0[i].d)), _mm256_cvtepi32_ps(BB_DOT(wq, x0 + i)), c0);
                c1 = _mm256_fmadd_ps(_mm256_set1_ps(dw * bb_half_to_float_f16c(x1[i].d)), _mm256_cvtepi32_ps(BB_DOT(wq, x1 + i)), c1);
                c2 = _mm256_fmadd_ps(_mm256_set1_ps(dw * bb_half_to_float_f16c(x2[i].d)), _mm256_cvtepi32_ps(BB_DOT(wq, x2 + i)), c2);
                c3 = _mm256_fmadd_ps(_mm256_set1_ps(dw * bb_half_to_float_f16c(x3[i].d)), _mm256_cvtepi32_ps(BB_DOT(wq, x3 + i)), c3);
                e0 += BB_EXTRA(w + i, x0 + i);
                e1 += BB_EXTRA(w + i, x1 + i);
                e2 += BB_EXTRA(w + i, x2 + i);
                e3 += BB_EXTRA(w + i, x3 + i);
            }
            a->y[b * ys + m] = bb_hsum_ps(c0) + e0;
            a->y[(b + 1) * ys + m] = bb_hsum_ps(c1) + e1;
            a->y[(b + 2) * ys + m] = bb_hsum_ps(c2) + e2;
            a->y[(b + 3) * ys + m] = bb_hsum_ps(c3) + e3;
        }
        for (; b < batch; b++) {
            const BB_ABLOCK *x0 = BB_NAME(BB_FMT, _token)(a, b);
            __m256 c0 = _mm256_setzero_ps();
            float e0 = 0;
            for (size_t i = 0; i < blocks; i++) {
                const float s = bb_half_to_float_f16c(w[i].d) * bb_half_to_float_f16c(x0[i].d);
                c0 = _mm256_fmadd_ps(_mm256_set1_ps(s), _mm256_cvtepi32_ps(BB_DOT(BB_DECODE(w + i), x0 + i)), c0);
                e0 += BB_EXTRA(w + i, x0 + i);
            }
            a->y[b * ys + m] = bb_hsum_ps(c0) + e0;
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

// Portable path: the block's integer dot in plain C (vectorized by the compiler), float scales.
static inline float BB_NAME(BB_FMT, _dot_portable)(const BB_WBLOCK *w, const BB_ABLOCK *x, size_t blocks) {
    float sum = 0;
    for (size_t i = 0; i < blocks; i++) {
        const int sumi = BB_SCALAR_DOT(w + i, x + i);
        sum += (float)sumi * (bb_half_to_float(w[i].d) * bb_half_to_float(x[i].d)) + BB_SCALAR_EXTRA(w + i, x + i);
    }
    return sum;
}

void BB_NAME(BB_FMT, _gemv_portable)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const BB_ABLOCK *x = BB_NAME(BB_FMT, _token)(a, 0);
    for (size_t m = row_begin; m < row_end; m++)
        a->y[m] = BB_NAME(BB_FMT, _dot_portable)(BB_NAME(BB_FMT, _row)(a, m), x, a->k / 32);
}

void BB_NAME(BB_FMT, _gemm_portable)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    for (size_t m = row_begin; m < row_end; m++) {
        const BB_WBLOCK *w = BB_NAME(BB_FMT, _row)(a, m);
        for (size_t b = 0; b < a->batch; b++)
            a->y[b * a->y_stride + m] = BB_NAME(BB_FMT, _dot_portable)(w, BB_NAME(BB_FMT, _token)(a, b), a->k / 32);
    }
}
