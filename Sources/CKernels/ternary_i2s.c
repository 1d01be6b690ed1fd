// I2_S products on bitnet.cpp's x86 layout, read as the flat tensor it is (FORMATS.md 2.1,
// quantize_i2_s): 128-element blocks of 32 bytes are cut from the flattened M x K tensor, and
// byte j of a block holds codes (w+1) of its elements j, j+32, j+64, j+96 at shifts 6, 4, 2, 0.
// Row m starts at flat element m*k; when k % 128 != 0 it starts and/or ends inside a block
// (k % 128 == 64: even rows end with groups 0-1 of a block, odd rows begin with groups 2-3 of the
// same 32 bytes). Each row is a head of 32-element groups, whole blocks (the fast loop), and a
// tail of groups (bb_i2s_span). bitnet.cpp's own kernel reads floor(k/128) blocks from byte m*k/4,
// which misreads every such row; we read what quantize_i2_s wrote.
// Integer sums are exact; the float epilogue is bitnet.cpp's y = ((float)Σcode·q - (float)Σq) / s * alpha.
#pragma clang fp contract(off)
#include "ternary_kernels.h"
#include "ternary_internal.h"

static inline float i2s_epilogue(int32_t code_sum, int32_t sum_q, float s, float alpha) {
    return (((float)code_sum - (float)sum_q) / s) * alpha;
}

// Σ code·q over `count` groups from flat group g; a = the activations of the first one.
static int32_t i2s_groups_portable(const uint8_t *w, int64_t g, int64_t count, const int8_t *a) {
    int32_t s = 0;
    for (int64_t i = 0; i < count; i++)
        for (int j = 0; j < 32; j++) s += bb_i2s_code(w, g + i, j) * a[32 * i + j];
    return s;
}

// Σ code·q over `blocks` whole blocks from `bytes` (the first block's 32 bytes).
static int32_t i2s_blocks_portable(const uint8_t *bytes, int64_t blocks, const int8_t *a) {
    int32_t acc = 0;
    for (int64_t blk = 0; blk < blocks; blk++, bytes += 32, a += 128) {
        int32_t s = 0;
        for (int j = 0; j < 32; j++) {
            const int byte = bytes[j];
            s += (byte >> 6) * a[j] + ((byte >> 4) & 3) * a[j + 32] + ((byte >> 2) & 3) * a[j + 64] + (byte & 3) * a[j + 96];
        }
        acc += s;
    }
    return acc;
}

void bb_ternary_i2s_portable(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                             const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                             int64_t batch, float alpha, float *out, int64_t out_stride) {
    for (int64_t m = row0; m < row1; m++) {
        const bb_i2s_row_span span = bb_i2s_span(m, k);
        const int64_t tail_column = 32 * (span.head + 4 * span.blocks);
        for (int64_t b = 0; b < batch; b++) {
            const int8_t *qb = q + b * q_stride;
            int32_t acc = i2s_groups_portable(w, span.first_group, span.head, qb);
            acc += i2s_blocks_portable(w + 32 * span.first_block, span.blocks, qb + 32 * span.head);
            acc += i2s_groups_portable(w, span.first_group + span.head + 4 * span.blocks, span.tail, qb + tail_column);
            out[b * out_stride + m] = i2s_epilogue(acc, sums[b], scales[b], alpha);
        }
    }
}

#if defined(__x86_64__)

BB_AVX2_INLINE int32_t hsum_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
    return _mm_cvtsi128_si32(s);
}

// Σ code·q over `blocks` whole blocks for NT tokens; `row` is the first block's 32 bytes and q
// token 0's activations for it. Per 128-weight block each int16 lane gains at most
// 4 maddubs of |2·128 + 2·128| = 512, so 16 blocks stay within int16 (|sum| <= 32768 only when
// every activation is -128, which -32768 still holds); then the lanes widen to int32 with madd.
// The block is decoded once and reused for every token (GEMM reuse; GEMV is NT = 1).
BB_AVX2_INLINE void i2s_row_tokens(const uint8_t *row, const int8_t *q, int64_t q_stride, int64_t blocks,
                                   int nt, int prefetch, int32_t *result) {
    const __m256i mask = _mm256_set1_epi8(3);
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i acc32[8];
    for (int t = 0; t < nt; t++) acc32[t] = _mm256_setzero_si256();
    for (int64_t b0 = 0; b0 < blocks; b0 += 16) {
        const int64_t b1 = b0 + 16 < blocks ? b0 + 16 : blocks;
        __m256i acc16[8];
        for (int t = 0; t < nt; t++) acc16[t] = _mm256_setzero_si256();
        for (int64_t blk = b0; blk < b1; blk++) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(row + 32 * blk));
            if (prefetch && !(blk & 1)) _mm_prefetch((const char *)(row + 32 * blk + BB_PREFETCH_AHEAD), _MM_HINT_T0);
            const __m256i c0 = _mm256_and_si256(_mm256_srli_epi16(v, 6), mask);
            const __m256i c1 = _mm256_and_si256(_mm256_srli_epi16(v, 4), mask);
            const __m256i c2 = _mm256_and_si256(_mm256_srli_epi16(v, 2), mask);
            const __m256i c3 = _mm256_and_si256(v, mask);
            for (int t = 0; t < nt; t++) {
                const int8_t *a = q + t * q_stride + 128 * blk;
                __m256i p0 = _mm256_maddubs_epi16(c0, _mm256_loadu_si256((const __m256i *)a));
                __m256i p1 = _mm256_maddubs_epi16(c1, _mm256_loadu_si256((const __m256i *)(a + 32)));
                __m256i p2 = _mm256_maddubs_epi16(c2, _mm256_loadu_si256((const __m256i *)(a + 64)));
                __m256i p3 = _mm256_maddubs_epi16(c3, _mm256_loadu_si256((const __m256i *)(a + 96)));
                acc16[t] = _mm256_add_epi16(acc16[t], _mm256_add_epi16(_mm256_add_epi16(p0, p1), _mm256_add_epi16(p2, p3)));
            }
        }
        for (int t = 0; t < nt; t++) acc32[t] = _mm256_add_epi32(acc32[t], _mm256_madd_epi16(acc16[t], ones));
    }
    for (int t = 0; t < nt; t++) result[t] = hsum_epi32(acc32[t]);
}

// Adds Σ code·q over `count` (at most 3) groups from flat group g for NT tokens; q is token 0's
// activations for the first group. Each maddubs pair widens to int32 at once (madd), so these
// partial blocks never touch the int16 bound of i2s_row_tokens.
BB_AVX2_INLINE void i2s_groups_tokens(const uint8_t *w, int64_t g, int64_t count, const int8_t *q, int64_t q_stride,
                                      int nt, int32_t *result) {
    const __m256i mask = _mm256_set1_epi8(3);
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i acc[8];
    for (int t = 0; t < nt; t++) acc[t] = _mm256_setzero_si256();
    for (int64_t i = 0; i < count; i++) {
        const int64_t group = g + i;
        const __m256i v = _mm256_loadu_si256((const __m256i *)(w + 32 * (group >> 2)));
        const __m128i shift = _mm_cvtsi32_si128(6 - 2 * (int)(group & 3));
        const __m256i c = _mm256_and_si256(_mm256_srl_epi16(v, shift), mask);
        for (int t = 0; t < nt; t++) {
            const __m256i a = _mm256_loadu_si256((const __m256i *)(q + t * q_stride + 32 * i));
            acc[t] = _mm256_add_epi32(acc[t], _mm256_madd_epi16(_mm256_maddubs_epi16(c, a), ones));
        }
    }
    for (int t = 0; t < nt; t++) result[t] += hsum_epi32(acc[t]);
}

// One row for NT tokens: head groups, whole blocks, tail groups (bb_i2s_span).
BB_AVX2_INLINE void i2s_row_span_tokens(const uint8_t *w, int64_t k, int64_t m, const int8_t *q, int64_t q_stride,
                                        int nt, int prefetch, int32_t *result) {
    const bb_i2s_row_span span = bb_i2s_span(m, k);
    i2s_row_tokens(w + 32 * span.first_block, q + 32 * span.head, q_stride, span.blocks, nt, prefetch, result);
    if (span.head) i2s_groups_tokens(w, span.first_group, span.head, q, q_stride, nt, result);
    if (span.tail) {
        const int64_t done = span.head + 4 * span.blocks;
        i2s_groups_tokens(w, span.first_group + done, span.tail, q + 32 * done, q_stride, nt, result);
    }
}

// Fixed token counts let the compiler keep every accumulator in a register.
#define I2S_ROWS(NT)                                                                                  \
    BB_AVX2 static void i2s_rows_##NT(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,        \
                                      const int8_t *q, int64_t q_stride, int prefetch, int32_t *acc) { \
        for (int64_t m = row0; m < row1; m++)                                                         \
            i2s_row_span_tokens(w, k, m, q, q_stride, NT, prefetch, acc + (m - row0) * 8);            \
    }
I2S_ROWS(1)
I2S_ROWS(2)
I2S_ROWS(3)
I2S_ROWS(4)
I2S_ROWS(5)
I2S_ROWS(6)
I2S_ROWS(7)
I2S_ROWS(8)

// Rows are taken in chunks of 16 (16·k/4 bytes stay in L1/L2 while every token passes over them);
// tokens go 8 at a time, so each decoded block feeds 8 tokens: per 128 weights and token the
// work is 4 vpmaddubsw + 4 vpaddw, plus 8 decode operations shared by the 8 tokens.
typedef void (*i2s_rows_fn)(const uint8_t *, int64_t, int64_t, int64_t, const int8_t *, int64_t, int, int32_t *);

BB_AVX2 void bb_ternary_i2s_avx2(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                                 const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                                 int64_t batch, float alpha, float *out, int64_t out_stride) {
    enum { chunk = 16, tokens = 8 };
    static const i2s_rows_fn rows_for[tokens + 1] = {
        0, i2s_rows_1, i2s_rows_2, i2s_rows_3, i2s_rows_4, i2s_rows_5, i2s_rows_6, i2s_rows_7, i2s_rows_8};
    int32_t acc[chunk * tokens];
    for (int64_t c0 = row0; c0 < row1; c0 += chunk) {
        const int64_t c1 = c0 + chunk < row1 ? c0 + chunk : row1;
        for (int64_t t0 = 0; t0 < batch; t0 += tokens) {
            const int64_t nt = batch - t0 < tokens ? batch - t0 : tokens;
            // Prefetching (BB_PREFETCH_AHEAD) pays when a single token streams the weights from DRAM.
            rows_for[nt](w, k, c0, c1, q + t0 * q_stride, q_stride, batch == 1, acc);
            for (int64_t m = c0; m < c1; m++) {
                for (int64_t t = 0; t < nt; t++) {
                    const int64_t b = t0 + t;
                    out[b * out_stride + m] = i2s_epilogue(acc[(m - c0) * tokens + t], sums[b], scales[b], alpha);
                }
            }
        }
    }
}

#endif
