// GEMV and GEMM bodies shared by the Q8_0, Q4_0 and Q4_1 kernels: per 32-weight block an exact
// int32 dot of the weight codes with the int8 activation codes, scaled by d_w * d_a in float.
// The including file defines:
//   BB_FMT               name stem (q8_0, q4_0, q4_1)
//   BB_WBLOCK, BB_ABLOCK weight and activation block structs
//   BB_DECODE(wb)        the block's 32 weight codes as __m256i of int8 (AVX2)
//   BB_DOT(w, ab)        int32x8 partial dot of decoded codes w with activation block ab (AVX2)
//   BB_MAGNITUDE(w), BB_DOT_PREPARED(w, m, ab)  the same dot split so the per-weight part (|w| for
//                        the sign trick) is computed once and reused across tokens
//   BB_HAS_OFFSET        1 when blocks carry an offset m (Q4_1: + m_w * s_a per block)
//   BB_EXTRA(wb, ab)     float term added per block besides d_w*d_a*sumi (Q4_1's m*s), or 0
//   BB_SCALAR_DOT(wb, ab) the block's integer dot, plain C
//
// Why the summation order is fixed: `bitbench eval` must give the same floats whatever the batch
// size, so GEMV and GEMM add the same float terms in the same order for each (row, token); only
// the integer block dots (exact in any order) and the reuse of decoded weights differ. AVX2: one
// 8-lane accumulator takes one FMA per 8-block group (lane j = block j's dot times its scale),
// Q4_1's offsets go to a second accumulator the same way, the two are added and summed by
// bb_hsum_ps, and the blocks past the last whole group follow one at a time. Portable: each block
// in order. Tests/KernelsTests checks GEMM == per-token GEMV bit for bit.
#define BB_CAT3(a, b, c) a##b##c
#define BB_NAME(fmt, suffix) BB_CAT3(bb_, fmt, suffix)

static inline const BB_WBLOCK *BB_NAME(BB_FMT, _row)(const bb_matmul_args *a, size_t m) {
    return (const BB_WBLOCK *)((const char *)a->weights + m * a->row_bytes);
}

static inline const BB_ABLOCK *BB_NAME(BB_FMT, _token)(const bb_matmul_args *a, size_t b) {
    return (const BB_ABLOCK *)((const char *)a->act + b * a->act_stride);
}

#if BB_X86
// The AVX2 kernels work on groups of 8 blocks: 8 exact int32x8 block dots are folded into one
// vector whose lane j is block j's integer dot, converted once and scaled by a vector of the 8
// blocks' d_w * d_a, instead of a convert, broadcast and FMA per block. d_w comes from a gather of
// the 8 fp16 scales (all lanes real halves, so F16C never sees stale subnormal lanes); d_a from the
// activation scale array (args->act_d). Blocks past the last whole group take the per-block path.

// Lane j of the result = sum of the 8 lanes of v[j].
BB_AVX2_INLINE __m256i BB_NAME(BB_FMT, _fold8)(const __m256i v[8]) {
    const __m256i t0 = _mm256_hadd_epi32(v[0], v[1]), t1 = _mm256_hadd_epi32(v[2], v[3]);
    const __m256i t2 = _mm256_hadd_epi32(v[4], v[5]), t3 = _mm256_hadd_epi32(v[6], v[7]);
    const __m256i u0 = _mm256_hadd_epi32(t0, t1), u1 = _mm256_hadd_epi32(t2, t3);
    return _mm256_add_epi32(_mm256_permute2x128_si256(u0, u1, 0x20), _mm256_permute2x128_si256(u0, u1, 0x31));
}

// 8 consecutive blocks' fp16 field at byte `offset` (d = 0, Q4_1's m = 2), as floats.
BB_AVX2_INLINE __m256 BB_NAME(BB_FMT, _gather_halves)(const BB_WBLOCK *w, int offset) {
    const int s = (int)sizeof(BB_WBLOCK);
    const __m256i index = _mm256_setr_epi32(0, s, 2 * s, 3 * s, 4 * s, 5 * s, 6 * s, 7 * s);
    const __m256i words = _mm256_and_si256(_mm256_i32gather_epi32((const int *)((const char *)w + offset), index, 1),
                                           _mm256_set1_epi32(0xffff));
    const __m128i halves = _mm_packus_epi32(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
    return _mm256_cvtph_ps(halves);
}

// One block's float contribution by the per-block method (tails of fewer than 8 blocks).
BB_AVX2_INLINE float BB_NAME(BB_FMT, _block_avx2)(const BB_WBLOCK *w, const BB_ABLOCK *x) {
    const __m256i dot = BB_DOT(BB_DECODE(w), x);
    const float scale = bb_half_to_float_f16c(w->d) * bb_half_to_float_f16c(x->d);
    return bb_hsum_ps(_mm256_mul_ps(_mm256_set1_ps(scale), _mm256_cvtepi32_ps(dot))) + BB_EXTRA(w, x);
}

BB_AVX2 void BB_NAME(BB_FMT, _gemv_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    const size_t blocks = a->k / 32, whole = blocks / 8 * 8;
    const BB_ABLOCK *x = BB_NAME(BB_FMT, _token)(a, 0);
    for (size_t m = row_begin; m < row_end; m++) {
        const BB_WBLOCK *w = BB_NAME(BB_FMT, _row)(a, m);
        __m256 acc = _mm256_setzero_ps(), offset_acc = _mm256_setzero_ps();
        for (size_t g = 0; g < whole; g += 8) {
            for (size_t line = 0; line < 8 * sizeof(BB_WBLOCK); line += 64)
                BB_PREFETCH((const char *)(w + g) + BB_PREFETCH_BYTES + line);
            __m256i dots[8];
            for (int j = 0; j < 8; j++) dots[j] = BB_DOT(BB_DECODE(w + g + j), x + g + j);
            const __m256 scale = _mm256_mul_ps(BB_NAME(BB_FMT, _gather_halves)(w + g, 0), _mm256_loadu_ps(a->act_d + g));
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(BB_NAME(BB_FMT, _fold8)(dots)), scale, acc);
#if BB_HAS_OFFSET
            offset_acc = _mm256_fmadd_ps(BB_NAME(BB_FMT, _gather_halves)(w + g, 2), _mm256_loadu_ps(a->act_s + g), offset_acc);
#endif
        }
        float sum = bb_hsum_ps(_mm256_add_ps(acc, offset_acc));
        for (size_t i = whole; i < blocks; i++) sum += BB_NAME(BB_FMT, _block_avx2)(w + i, x + i);
        a->y[m] = sum;
    }
}

// GEMM: for each row and group of 8 blocks the weights are decoded once into registers' worth of
// stack (codes, and |codes| for the sign trick) and reused by every token of a 64-token chunk;
// each token's running 8-lane sums live in a small L1-resident array. Per token the float steps
// are the GEMV's, in the GEMV's order.
BB_AVX2 void BB_NAME(BB_FMT, _gemm_avx2)(const bb_matmul_args *a, size_t row_begin, size_t row_end) {
    enum { TB = 64 };
    const size_t blocks = a->k / 32, whole = blocks / 8 * 8, batch = a->batch, ys = a->y_stride;
    const size_t ss = a->act_scale_stride;
    __m256 acc[TB], offset_acc[TB];
    __m256i codes[8], magnitudes[8];
    for (size_t b0 = 0; b0 < batch; b0 += TB) {
        const size_t nb = batch - b0 < TB ? batch - b0 : TB;
        for (size_t m = row_begin; m < row_end; m++) {
            const BB_WBLOCK *w = BB_NAME(BB_FMT, _row)(a, m);
            for (size_t t = 0; t < nb; t++) acc[t] = offset_acc[t] = _mm256_setzero_ps();
            for (size_t g = 0; g < whole; g += 8) {
                for (int j = 0; j < 8; j++) {
                    codes[j] = BB_DECODE(w + g + j);
                    magnitudes[j] = BB_MAGNITUDE(codes[j]);
                }
                const __m256 dw = BB_NAME(BB_FMT, _gather_halves)(w + g, 0);
#if BB_HAS_OFFSET
                const __m256 mw = BB_NAME(BB_FMT, _gather_halves)(w + g, 2);
#endif
                for (size_t t = 0; t < nb; t++) {
                    const BB_ABLOCK *x = BB_NAME(BB_FMT, _token)(a, b0 + t) + g;
                    __m256i dots[8];
                    for (int j = 0; j < 8; j++) dots[j] = BB_DOT_PREPARED(codes[j], magnitudes[j], x + j);
                    const __m256 scale = _mm256_mul_ps(dw, _mm256_loadu_ps(a->act_d + (b0 + t) * ss + g));
                    acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(BB_NAME(BB_FMT, _fold8)(dots)), scale, acc[t]);
#if BB_HAS_OFFSET
                    offset_acc[t] = _mm256_fmadd_ps(mw, _mm256_loadu_ps(a->act_s + (b0 + t) * ss + g), offset_acc[t]);
#endif
                }
            }
            for (size_t t = 0; t < nb; t++) {
                const BB_ABLOCK *x = BB_NAME(BB_FMT, _token)(a, b0 + t);
                float sum = bb_hsum_ps(_mm256_add_ps(acc[t], offset_acc[t]));
                for (size_t i = whole; i < blocks; i++) sum += BB_NAME(BB_FMT, _block_avx2)(w + i, x + i);
                a->y[(b0 + t) * ys + m] = sum;
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
