// TQ2_0 and TQ1_0 products on llama.cpp's standard blocks (256 weights + fp16 d), in the float
// order of ggml's AVX2 kernels (ggml_vec_dot_tq{1,2}_0_q8_K, arch/x86/quants.c), which made the
// bitnet.cpp x86 reference outputs. Per block, int lane m (0..7) = Σ code·q over the elements e
// with (e mod 32)/4 == m, minus Σq over [32m, 32m+32) (bsums[2m]+bsums[2m+1]); float lane
// acc[m] = acc[m] + (float)lane[m] * (d_a*d_w) (mul then add, not fused); the result is
// hsum_float_8: ((acc4+acc0)+(acc6+acc2)) + ((acc5+acc1)+(acc7+acc3)).
#pragma clang fp contract(off)
#include "ternary_kernels.h"
#include "ternary_internal.h"

enum { kTQ2Bytes = 66, kTQ1Bytes = 54 };

static inline int tq1_trit(uint8_t byte, int n) {
    static const uint8_t pow3[5] = {1, 3, 9, 27, 81};
    const uint8_t v = (uint8_t)(byte * pow3[n]);
    return ((uint16_t)v * 3) >> 8;
}

// The AVX2 lane of element e: maddubs + madd over 32-byte vectors sum bytes 4m..4m+3.
static inline int tq_lane(int e) { return (e & 31) >> 2; }

static void tq2_block_lanes(const uint8_t *block, const int8_t *a, int32_t lanes[8]) {
    for (int h = 0; h < 2; h++)
        for (int n = 0; n < 4; n++)
            for (int j = 0; j < 32; j++) {
                const int e = 128 * h + 32 * n + j;
                lanes[tq_lane(e)] += ((block[32 * h + j] >> (2 * n)) & 3) * a[e];
            }
}

static void tq1_block_lanes(const uint8_t *block, const int8_t *a, int32_t lanes[8]) {
    for (int j = 0; j < 32; j++)
        for (int n = 0; n < 5; n++) lanes[tq_lane(j + 32 * n)] += tq1_trit(block[j], n) * a[j + 32 * n];
    for (int j = 0; j < 16; j++)
        for (int n = 0; n < 5; n++) {
            const int e = 160 + j + 16 * n;
            lanes[tq_lane(e)] += tq1_trit(block[32 + j], n) * a[e];
        }
    for (int j = 0; j < 4; j++)
        for (int n = 0; n < 4; n++) {
            const int e = 240 + j + 4 * n;
            lanes[tq_lane(e)] += tq1_trit(block[48 + j], n) * a[e];
        }
}

static inline float tq_hsum8(const float acc[8]) {
    return ((acc[4] + acc[0]) + (acc[6] + acc[2])) + ((acc[5] + acc[1]) + (acc[7] + acc[3]));
}

static void tq_portable(int tq1, const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                        const int8_t *q, int64_t q_stride, const float *scales,
                        int64_t batch, float *out, int64_t out_stride) {
    const int64_t nb = k / 256, bytes = tq1 ? kTQ1Bytes : kTQ2Bytes;
    for (int64_t m = row0; m < row1; m++) {
        for (int64_t b = 0; b < batch; b++) {
            float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
            for (int64_t blk = 0; blk < nb; blk++) {
                const uint8_t *block = w + (m * nb + blk) * bytes;
                const int8_t *a = q + b * q_stride + 256 * blk;
                int32_t lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                if (tq1) tq1_block_lanes(block, a, lanes); else tq2_block_lanes(block, a, lanes);
                for (int e = 0; e < 256; e++) lanes[e >> 5] -= a[e];
                const float d = scales[b * nb + blk] * bb_half_to_float(bb_load_u16(block + bytes - 2));
                for (int l = 0; l < 8; l++) acc[l] = acc[l] + (float)lanes[l] * d;
            }
            out[b * out_stride + m] = tq_hsum8(acc);
        }
    }
}

void bb_ternary_tq2_portable(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                             const int8_t *q, int64_t q_stride, const float *scales,
                             int64_t batch, float *out, int64_t out_stride) {
    tq_portable(0, w, k, row0, row1, q, q_stride, scales, batch, out, out_stride);
}

void bb_ternary_tq1_portable(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                             const int8_t *q, int64_t q_stride, const float *scales,
                             int64_t batch, float *out, int64_t out_stride) {
    tq_portable(1, w, k, row0, row1, q, q_stride, scales, batch, out, out_stride);
}

#if defined(__x86_64__)

// TQ2_0: half h holds elements 128h + 32n + j in bits 2n of byte j, so four shifts give four
// vectors of 32 consecutive codes.
BB_AVX2_INLINE void tq2_decode(const uint8_t *block, __m256i c[8]) {
    const __m256i mask = _mm256_set1_epi8(3);
    const __m256i v0 = _mm256_loadu_si256((const __m256i *)block);
    const __m256i v1 = _mm256_loadu_si256((const __m256i *)(block + 32));
    c[0] = _mm256_and_si256(v0, mask);
    c[1] = _mm256_and_si256(_mm256_srli_epi16(v0, 2), mask);
    c[2] = _mm256_and_si256(_mm256_srli_epi16(v0, 4), mask);
    c[3] = _mm256_and_si256(_mm256_srli_epi16(v0, 6), mask);
    c[4] = _mm256_and_si256(v1, mask);
    c[5] = _mm256_and_si256(_mm256_srli_epi16(v1, 2), mask);
    c[6] = _mm256_and_si256(_mm256_srli_epi16(v1, 4), mask);
    c[7] = _mm256_and_si256(_mm256_srli_epi16(v1, 6), mask);
}

// Trits of B·3^n for every byte of x, from 16-bit multiplies: with B in the high byte of a 16-bit
// lane (low byte zero), mullo by 3^n leaves (B·3^n mod 256) there, and mulhi by 3 gives
// floor(3·v/256), the trit (ggml's ((B*3^n mod 256)*3) >> 8). This replaced a decode through
// pshufb nibble tables (B·3^n mod 256 = table_lo[B & 15] + table_hi[B >> 4], then two compares):
// measured 0.63 vs 0.85 ms for a 4096x4096 GEMV (CPU time, in cache) on this machine.
BB_AVX2_INLINE __m256i tq1_trits_mul(__m256i even, __m256i odd, __m256i power) {
    const __m256i three = _mm256_set1_epi16(3);
    const __m256i te = _mm256_mulhi_epu16(_mm256_mullo_epi16(even, power), three);
    const __m256i to = _mm256_mulhi_epu16(_mm256_mullo_epi16(odd, power), three);
    return _mm256_or_si256(te, _mm256_slli_epi16(to, 8));
}

BB_AVX2_INLINE void tq1_decode(const uint8_t *block, __m256i c[8]) {
    const __m256i high = _mm256_set1_epi16((short)0xff00);
    const __m256i qa = _mm256_loadu_si256((const __m256i *)block);
    const __m256i ae = _mm256_slli_epi16(qa, 8), ao = _mm256_and_si256(qa, high);
    static const short pow3[5] = {1, 3, 9, 27, 81};
    for (int n = 0; n < 5; n++) c[n] = tq1_trits_mul(ae, ao, _mm256_set1_epi16(pow3[n]));
    const __m256i qb = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(block + 32)));
    const __m256i be = _mm256_slli_epi16(qb, 8), bo = _mm256_and_si256(qb, high);
    c[5] = tq1_trits_mul(be, bo, _mm256_setr_epi16(1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3));
    c[6] = tq1_trits_mul(be, bo, _mm256_setr_epi16(9, 9, 9, 9, 9, 9, 9, 9, 27, 27, 27, 27, 27, 27, 27, 27));
    // Lane 0: trit 4 of qs[32..47]; lane 1: the four trits of qh[0..3], byte 4n + j times 3^n.
    uint32_t qh;
    memcpy(&qh, block + 48, 4);
    const __m256i x = _mm256_inserti128_si256(qb, _mm_set1_epi32((int)qh), 1);
    const __m256i xe = _mm256_slli_epi16(x, 8), xo = _mm256_and_si256(x, high);
    c[7] = tq1_trits_mul(xe, xo, _mm256_setr_epi16(81, 81, 81, 81, 81, 81, 81, 81, 1, 1, 3, 3, 9, 9, 27, 27));
}

BB_AVX2_INLINE __m256i tq_block_dot(const __m256i c[8], const int8_t *a) {
    __m256i s = _mm256_setzero_si256();
    for (int j = 0; j < 8; j++)
        s = _mm256_add_epi16(s, _mm256_maddubs_epi16(c[j], _mm256_loadu_si256((const __m256i *)(a + 32 * j))));
    return _mm256_madd_epi16(s, _mm256_set1_epi16(1));
}

// The 8 lane sums of 8 vectors, as one vector (v[i] -> lane i).
BB_AVX2_INLINE __m256i hsum8_epi32(const __m256i v[8]) {
    const __m256i s01 = _mm256_hadd_epi32(v[0], v[1]), s23 = _mm256_hadd_epi32(v[2], v[3]);
    const __m256i s45 = _mm256_hadd_epi32(v[4], v[5]), s67 = _mm256_hadd_epi32(v[6], v[7]);
    const __m256i s0123 = _mm256_hadd_epi32(s01, s23), s4567 = _mm256_hadd_epi32(s45, s67);
    return _mm256_add_epi32(_mm256_permute2x128_si256(s0123, s4567, 0x20), _mm256_permute2x128_si256(s0123, s4567, 0x31));
}

// Σq of each 32-byte vector of one block, as lane j of the result: the bsums[2j]+bsums[2j+1]
// that ggml subtracts from int lane j.
BB_AVX2_INLINE __m256i tq_block_qsums(const int8_t *a) {
    const __m256i ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1);
    __m256i v[8];
    for (int j = 0; j < 8; j++)
        v[j] = _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, _mm256_loadu_si256((const __m256i *)(a + 32 * j))), ones16);
    return hsum8_epi32(v);
}

// ggml's hsum_float_8, same instructions.
BB_AVX2_INLINE float tq_hsum8_avx2(__m256 x) {
    __m128 r = _mm_add_ps(_mm256_extractf128_ps(x, 1), _mm256_castps256_ps128(x));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
}

enum { kTQBlockChunk = 64 };

// Blocks [0, n) of one row for NT tokens, into the 8-lane accumulators acc[t]: each block is
// decoded once and reused by every token; `qsums` holds tq_block_qsums per token and block.
BB_AVX2_INLINE void tq_row_tokens(int tq1, const uint8_t *row, int n, const int8_t *q, int64_t q_stride,
                                  const float *scales, int64_t nb, const __m256i *qsums, int nt, int prefetch,
                                  __m256 *acc) {
    const int64_t bytes = tq1 ? kTQ1Bytes : kTQ2Bytes;
    for (int i = 0; i < n; i++) {
        const uint8_t *block = row + i * bytes;
        if (prefetch) _mm_prefetch((const char *)(block + BB_PREFETCH_AHEAD), _MM_HINT_T0);
        __m256i c[8];
        if (tq1) tq1_decode(block, c); else tq2_decode(block, c);
        const float dw = bb_half_to_float(bb_load_u16(block + bytes - 2));
        for (int t = 0; t < nt; t++) {
            const __m256i lanes = _mm256_sub_epi32(tq_block_dot(c, q + t * q_stride + 256 * i), qsums[t * kTQBlockChunk + i]);
            const __m256 d = _mm256_set1_ps(scales[t * nb + i] * dw);
            acc[t] = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(lanes), d), acc[t]);
        }
    }
}

#define TQ_ROWS(NAME, TQ1, NT)                                                                          \
    BB_AVX2 static void NAME(const uint8_t *w, int64_t nb, int64_t blk0, int n, int64_t row0,         \
                             int64_t row1, const int8_t *q, int64_t q_stride, const float *scales,     \
                             const __m256i *qsums, int prefetch, __m256 *acc) {                         \
        const int64_t bytes = (TQ1) ? kTQ1Bytes : kTQ2Bytes;                                            \
        for (int64_t m = row0; m < row1; m++)                                                           \
            tq_row_tokens(TQ1, w + (m * nb + blk0) * bytes, n, q + 256 * blk0, q_stride, scales + blk0, \
                          nb, qsums, NT, prefetch, acc + (m - row0) * 4);                               \
    }
TQ_ROWS(tq2_rows_1, 0, 1)
TQ_ROWS(tq2_rows_2, 0, 2)
TQ_ROWS(tq2_rows_3, 0, 3)
TQ_ROWS(tq2_rows_4, 0, 4)
TQ_ROWS(tq1_rows_1, 1, 1)
TQ_ROWS(tq1_rows_2, 1, 2)
TQ_ROWS(tq1_rows_3, 1, 3)
TQ_ROWS(tq1_rows_4, 1, 4)

// Rows go 16 at a time and tokens 4 at a time; blocks go kTQBlockChunk at a time so the per-block
// Σq vectors of the tokens fit on the stack and are shared by the 16 rows.
BB_AVX2 static void tq_avx2(int tq1, const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                            const int8_t *q, int64_t q_stride, const float *scales,
                            int64_t batch, float *out, int64_t out_stride) {
    enum { chunk = 16 };
    const int64_t nb = k / 256;
    __m256 acc[chunk * 4];
    __m256i qsums[4 * kTQBlockChunk];
    for (int64_t c0 = row0; c0 < row1; c0 += chunk) {
        const int64_t c1 = c0 + chunk < row1 ? c0 + chunk : row1;
        for (int64_t t0 = 0; t0 < batch; t0 += 4) {
            const int nt = batch - t0 < 4 ? (int)(batch - t0) : 4;
            const int8_t *qt = q + t0 * q_stride;
            const float *st = scales + t0 * nb;
            const int prefetch = batch == 1;
            for (int i = 0; i < chunk * 4; i++) acc[i] = _mm256_setzero_ps();
            for (int64_t g0 = 0; g0 < nb; g0 += kTQBlockChunk) {
                const int n = nb - g0 < kTQBlockChunk ? (int)(nb - g0) : kTQBlockChunk;
                for (int t = 0; t < nt; t++)
                    for (int i = 0; i < n; i++)
                        qsums[t * kTQBlockChunk + i] = tq_block_qsums(qt + t * q_stride + 256 * (g0 + i));
                if (tq1) {
                    switch (nt) {
                    case 1: tq1_rows_1(w, nb, g0, n, c0, c1, qt, q_stride, st, qsums, prefetch, acc); break;
                    case 2: tq1_rows_2(w, nb, g0, n, c0, c1, qt, q_stride, st, qsums, 0, acc); break;
                    case 3: tq1_rows_3(w, nb, g0, n, c0, c1, qt, q_stride, st, qsums, 0, acc); break;
                    default: tq1_rows_4(w, nb, g0, n, c0, c1, qt, q_stride, st, qsums, 0, acc); break;
                    }
                } else {
                    switch (nt) {
                    case 1: tq2_rows_1(w, nb, g0, n, c0, c1, qt, q_stride, st, qsums, prefetch, acc); break;
                    case 2: tq2_rows_2(w, nb, g0, n, c0, c1, qt, q_stride, st, qsums, 0, acc); break;
                    case 3: tq2_rows_3(w, nb, g0, n, c0, c1, qt, q_stride, st, qsums, 0, acc); break;
                    default: tq2_rows_4(w, nb, g0, n, c0, c1, qt, q_stride, st, qsums, 0, acc); break;
                    }
                }
            }
            for (int64_t m = c0; m < c1; m++)
                for (int t = 0; t < nt; t++) out[(t0 + t) * out_stride + m] = tq_hsum8_avx2(acc[(m - c0) * 4 + t]);
        }
    }
}

BB_AVX2 void bb_ternary_tq2_avx2(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                                 const int8_t *q, int64_t q_stride, const float *scales,
                                 int64_t batch, float *out, int64_t out_stride) {
    tq_avx2(0, w, k, row0, row1, q, q_stride, scales, batch, out, out_stride);
}

BB_AVX2 void bb_ternary_tq1_avx2(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                                 const int8_t *q, int64_t q_stride, const float *scales,
                                 int64_t batch, float *out, int64_t out_stride) {
    tq_avx2(1, w, k, row0, row1, q, q_stride, scales, batch, out, out_stride);
}

#endif
