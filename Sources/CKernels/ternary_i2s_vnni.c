// I2_S products with VNNI (vpdpbusd: u8 x s8 -> int32, four products per lane per instruction)
// instead of AVX2's vpmaddubsw + vpaddw + vpmaddwd. Same flat layout as ternary_i2s.c (128-weight
// blocks of 32 bytes cut from the flattened tensor, byte j holds codes of elements j, j+32, j+64,
// j+96 at shifts 6, 4, 2, 0; a row is head groups, whole blocks, tail groups: bb_i2s_span). The
// codes {0,1,2} are the unsigned operand, the int8 activations the signed one; int32 sums are
// exact in any order (|Σ| <= k·2·128 <= 2^28 for k <= 2^20), so with the same float epilogue the
// results equal the scalar reference and the AVX2 kernel bit for bit.
#pragma clang fp contract(off)
#include "ternary_kernels.h"
#include "ternary_internal.h"

#if defined(__x86_64__)

#define BB_AVXVNNI __attribute__((target("avx2,fma,f16c,avxvnni")))
#define BB_AVXVNNI_INLINE static inline __attribute__((always_inline, target("avx2,fma,f16c,avxvnni")))
#define BB_AVX512VNNI __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vnni")))
#define BB_AVX512VNNI_INLINE \
    static inline __attribute__((always_inline, target("avx2,fma,f16c,avx512f,avx512bw,avx512vnni")))

// Must stay the expression of ternary_i2s.c's i2s_epilogue (bitnet.cpp's float order).
static inline float i2s_vnni_epilogue(int32_t code_sum, int32_t sum_q, float s, float alpha) {
    return (((float)code_sum - (float)sum_q) / s) * alpha;
}

// Rows per tile and tokens per tile. In the AVX-512 tile two rows share each activation load
// (halving L1/L2 traffic, which otherwise matches the vpdpbusd rate): 2 x 8 accumulators, the
// decoded codes and the current activations fit its 32 zmm registers. The AVX-VNNI tile is one
// row (its 16 ymm registers have no room for a second row's four planes).
enum { vnni_rows = 2, vnni_tokens = 8 };

// Weight bytes per row chunk. Each group of 8 tokens passes over the whole chunk, so the chunk's
// codes come from L2 (2 MiB here) while the 8 tokens' activations stay in L1; the activations are
// then read from L3 once per chunk (with 16-row chunks, the AVX2 kernel's, a 512-token batch
// re-reads its activations every 16 rows).
#define VNNI_CHUNK_BYTES (256 * 1024)

// ---- AVX-512 VNNI: one 512-bit vector holds two 32-byte code planes. The block's 32 bytes are
// broadcast to both halves and shifted by (6, 4) and (2, 0) with one variable shift each, so the
// planes line up with 64 contiguous activations: elements j and j+32, then j+64 and j+96. ----

BB_AVX512VNNI_INLINE void i2s_tile_512(const uint8_t *w, int64_t row_bytes, int nr, const int8_t *q,
                                       int64_t q_stride, int64_t blocks, int nt, int prefetch, int32_t *result) {
    const __m512i mask = _mm512_set1_epi8(3);
    const __m512i shift01 = _mm512_inserti64x4(_mm512_set1_epi16(6), _mm256_set1_epi16(4), 1);
    const __m512i shift23 = _mm512_inserti64x4(_mm512_set1_epi16(2), _mm256_setzero_si256(), 1);
    // With few tokens the vpdpbusd chains per accumulator would be latency-bound (5 cycles each),
    // so up to 4 tokens the two planes get separate accumulators.
    const int split = nt <= 4;
    __m512i acc[vnni_rows][vnni_tokens], acc_hi[vnni_rows][vnni_tokens];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) acc[r][t] = acc_hi[r][t] = _mm512_setzero_si512();
    for (int64_t blk = 0; blk < blocks; blk++) {
        __m512i lo[vnni_rows], hi[vnni_rows];
        for (int r = 0; r < nr; r++) {
            const uint8_t *bytes = w + r * row_bytes + 32 * blk;
            if (prefetch && !(blk & 1)) _mm_prefetch((const char *)(bytes + BB_PREFETCH_AHEAD), _MM_HINT_T0);
            const __m512i v = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)bytes));
            lo[r] = _mm512_and_si512(_mm512_srlv_epi16(v, shift01), mask);
            hi[r] = _mm512_and_si512(_mm512_srlv_epi16(v, shift23), mask);
        }
        for (int t = 0; t < nt; t++) {
            const int8_t *a = q + t * q_stride + 128 * blk;
            const __m512i a01 = _mm512_loadu_si512((const void *)a);
            const __m512i a23 = _mm512_loadu_si512((const void *)(a + 64));
            for (int r = 0; r < nr; r++) {
                acc[r][t] = _mm512_dpbusd_epi32(acc[r][t], lo[r], a01);
                if (split) acc_hi[r][t] = _mm512_dpbusd_epi32(acc_hi[r][t], hi[r], a23);
                else acc[r][t] = _mm512_dpbusd_epi32(acc[r][t], hi[r], a23);
            }
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++)
            result[r * vnni_tokens + t] = _mm512_reduce_add_epi32(_mm512_add_epi32(acc[r][t], acc_hi[r][t]));
}

// ---- AVX-VNNI (256-bit): the AVX2 decode (four shifted-and-masked planes), one vpdpbusd each. ----

BB_AVX2_INLINE int32_t hsum_epi32_vnni(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
    return _mm_cvtsi128_si32(s);
}

// One row, up to 8 tokens (16 ymm registers leave no room for a second row's four planes).
BB_AVXVNNI_INLINE void i2s_tile_256(const uint8_t *w, int64_t row_bytes, int nr, const int8_t *q,
                                    int64_t q_stride, int64_t blocks, int nt, int prefetch, int32_t *result) {
    (void)row_bytes;
    (void)nr;
    const __m256i mask = _mm256_set1_epi8(3);
    const int split = nt <= 4;  // as in i2s_tile_512: independent chains when tokens are few
    __m256i acc[vnni_tokens], acc_hi[vnni_tokens];
    for (int t = 0; t < nt; t++) acc[t] = acc_hi[t] = _mm256_setzero_si256();
    for (int64_t blk = 0; blk < blocks; blk++) {
        const uint8_t *bytes = w + 32 * blk;
        if (prefetch && !(blk & 1)) _mm_prefetch((const char *)(bytes + BB_PREFETCH_AHEAD), _MM_HINT_T0);
        const __m256i v = _mm256_loadu_si256((const __m256i *)bytes);
        const __m256i c0 = _mm256_and_si256(_mm256_srli_epi16(v, 6), mask);
        const __m256i c1 = _mm256_and_si256(_mm256_srli_epi16(v, 4), mask);
        const __m256i c2 = _mm256_and_si256(_mm256_srli_epi16(v, 2), mask);
        const __m256i c3 = _mm256_and_si256(v, mask);
        for (int t = 0; t < nt; t++) {
            const int8_t *a = q + t * q_stride + 128 * blk;
            acc[t] = _mm256_dpbusd_avx_epi32(acc[t], c0, _mm256_loadu_si256((const __m256i *)a));
            acc[t] = _mm256_dpbusd_avx_epi32(acc[t], c1, _mm256_loadu_si256((const __m256i *)(a + 32)));
            __m256i *hi = split ? &acc_hi[t] : &acc[t];
            *hi = _mm256_dpbusd_avx_epi32(*hi, c2, _mm256_loadu_si256((const __m256i *)(a + 64)));
            *hi = _mm256_dpbusd_avx_epi32(*hi, c3, _mm256_loadu_si256((const __m256i *)(a + 96)));
        }
    }
    for (int t = 0; t < nt; t++) result[t] = hsum_epi32_vnni(_mm256_add_epi32(acc[t], acc_hi[t]));
}

// Adds Σ code·q over `count` (at most 3) head or tail groups from flat group g for `nt` tokens; q
// is token 0's activations for the first group. A few groups per row: AVX2 maddubs + madd (exact,
// int16 pairs of at most 2·2·128) serve both VNNI targets.
BB_AVX2_INLINE void i2s_groups_vnni(const uint8_t *w, int64_t g, int64_t count, const int8_t *q,
                                       int64_t q_stride, int nt, int32_t *result) {
    const __m256i mask = _mm256_set1_epi8(3);
    const __m256i ones = _mm256_set1_epi16(1);
    for (int t = 0; t < nt; t++) {
        __m256i acc = _mm256_setzero_si256();
        for (int64_t i = 0; i < count; i++) {
            const int64_t group = g + i;
            const __m256i v = _mm256_loadu_si256((const __m256i *)(w + 32 * (group >> 2)));
            const __m256i c = _mm256_and_si256(_mm256_srl_epi16(v, _mm_cvtsi32_si128(6 - 2 * (int)(group & 3))), mask);
            const __m256i a = _mm256_loadu_si256((const __m256i *)(q + t * q_stride + 32 * i));
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(c, a), ones));
        }
        result[t] += hsum_epi32_vnni(acc);
    }
}

// Fixed (rows, tokens) shapes let the compiler keep every accumulator in a register.
typedef void (*i2s_vnni_tile_fn)(const uint8_t *, int64_t, const int8_t *, int64_t, int64_t, int, int32_t *);
typedef void (*i2s_vnni_groups_fn)(const uint8_t *, int64_t, int64_t, const int8_t *, int64_t, int, int32_t *);

#define I2S_VNNI_GROUPS(ISA, ATTR)                                                                     \
    ATTR static void i2s_##ISA##_groups(const uint8_t *w, int64_t g, int64_t count, const int8_t *q, \
                                        int64_t q_stride, int nt, int32_t *result) {                   \
        i2s_groups_vnni(w, g, count, q, q_stride, nt, result);                                         \
    }
I2S_VNNI_GROUPS(512, BB_AVX512VNNI)
I2S_VNNI_GROUPS(256, BB_AVXVNNI)

#define I2S_VNNI_TILE(ISA, ATTR, NR, NT)                                                                  \
    ATTR static void i2s_##ISA##_##NR##x##NT(const uint8_t *w, int64_t row_bytes, const int8_t *q,       \
                                             int64_t q_stride, int64_t blocks, int prefetch, int32_t *acc) { \
        i2s_tile_##ISA(w, row_bytes, NR, q, q_stride, blocks, NT, prefetch, acc);                          \
    }
#define I2S_VNNI_TILES(ISA, ATTR, NR)                                                                        \
    I2S_VNNI_TILE(ISA, ATTR, NR, 1) I2S_VNNI_TILE(ISA, ATTR, NR, 2) I2S_VNNI_TILE(ISA, ATTR, NR, 3)          \
    I2S_VNNI_TILE(ISA, ATTR, NR, 4) I2S_VNNI_TILE(ISA, ATTR, NR, 5) I2S_VNNI_TILE(ISA, ATTR, NR, 6)          \
    I2S_VNNI_TILE(ISA, ATTR, NR, 7) I2S_VNNI_TILE(ISA, ATTR, NR, 8)                                          \
    static const i2s_vnni_tile_fn i2s_##ISA##_tiles_##NR[vnni_tokens + 1] = {                                 \
        0, i2s_##ISA##_##NR##x1, i2s_##ISA##_##NR##x2, i2s_##ISA##_##NR##x3, i2s_##ISA##_##NR##x4,            \
        i2s_##ISA##_##NR##x5, i2s_##ISA##_##NR##x6, i2s_##ISA##_##NR##x7, i2s_##ISA##_##NR##x8};

I2S_VNNI_TILES(512, BB_AVX512VNNI, 1)
I2S_VNNI_TILES(512, BB_AVX512VNNI, 2)
I2S_VNNI_TILES(256, BB_AVXVNNI, 1)

// Rows go in chunks of VNNI_CHUNK_BYTES (at least 16 rows), tokens 8 at a time, rows
// `rows_per_tile` at a time within the chunk. When k % 128 != 0 rows start at different offsets
// within their blocks, so they go one at a time: head groups, whole blocks, tail groups.
static void i2s_vnni_drive(const i2s_vnni_tile_fn *pairs, const i2s_vnni_tile_fn *singles,
                           i2s_vnni_groups_fn groups, int rows_per_tile,
                           const uint8_t *w, int64_t k, int64_t row0, int64_t row1, const int8_t *q,
                           int64_t q_stride, const float *scales, const int32_t *sums, int64_t batch, float alpha,
                           float *out, int64_t out_stride) {
    const int64_t row_bytes = k / 4, blocks = k / 128;
    const int whole = k % 128 == 0;
    if (!whole) rows_per_tile = 1;
    // Prefetching (BB_PREFETCH_AHEAD) pays when a single token streams the weights from DRAM.
    const int prefetch = batch == 1;
    const int64_t chunk_rows = VNNI_CHUNK_BYTES / row_bytes > 16 ? VNNI_CHUNK_BYTES / row_bytes & ~(int64_t)1 : 16;
    int32_t acc[vnni_rows * vnni_tokens];
    for (int64_t c0 = row0; c0 < row1; c0 += chunk_rows) {
        const int64_t c1 = c0 + chunk_rows < row1 ? c0 + chunk_rows : row1;
        for (int64_t t0 = 0; t0 < batch; t0 += vnni_tokens) {
            const int nt = (int)(batch - t0 < vnni_tokens ? batch - t0 : vnni_tokens);
            const int8_t *qt = q + t0 * q_stride;
            for (int64_t m = c0; m < c1; m += rows_per_tile) {
                const int nr = c1 - m < rows_per_tile ? (int)(c1 - m) : rows_per_tile;
                if (whole) {
                    (nr == 2 ? pairs : singles)[nt](w + m * row_bytes, row_bytes, qt, q_stride, blocks, prefetch, acc);
                } else {
                    const bb_i2s_row_span span = bb_i2s_span(m, k);
                    singles[nt](w + 32 * span.first_block, row_bytes, qt + 32 * span.head, q_stride, span.blocks,
                                prefetch, acc);
                    if (span.head) groups(w, span.first_group, span.head, qt, q_stride, nt, acc);
                    if (span.tail) {
                        const int64_t done = span.head + 4 * span.blocks;
                        groups(w, span.first_group + done, span.tail, qt + 32 * done, q_stride, nt, acc);
                    }
                }
                for (int r = 0; r < nr; r++) {
                    for (int t = 0; t < nt; t++) {
                        const int64_t b = t0 + t;
                        out[b * out_stride + m + r] =
                            i2s_vnni_epilogue(acc[r * vnni_tokens + t], sums[b], scales[b], alpha);
                    }
                }
            }
        }
    }
}

BB_AVX512VNNI void bb_ternary_i2s_avx512vnni(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                                             const int8_t *q, int64_t q_stride, const float *scales,
                                             const int32_t *sums, int64_t batch, float alpha, float *out,
                                             int64_t out_stride) {
    i2s_vnni_drive(i2s_512_tiles_2, i2s_512_tiles_1, i2s_512_groups, 2, w, k, row0, row1, q, q_stride,
                   scales, sums, batch, alpha, out, out_stride);
}

BB_AVXVNNI void bb_ternary_i2s_avxvnni(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                                       const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                                       int64_t batch, float alpha, float *out, int64_t out_stride) {
    i2s_vnni_drive(i2s_256_tiles_1, i2s_256_tiles_1, i2s_256_groups, 1, w, k, row0, row1, q, q_stride, scales, sums, batch,
                   alpha, out, out_stride);
}

#endif
