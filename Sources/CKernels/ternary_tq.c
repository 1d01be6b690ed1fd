// TQ2_0 and TQ1_0 products on llama.cpp's standard blocks (256 weights + fp16 d). Per block the
// integer Σ(code-1)·q is exact; the float epilogue is llama.cpp's generic order,
// sum += (float)Σ * (d_w * d_a), block after block (ggml_vec_dot_tq*_q8_K_generic).
#pragma clang fp contract(off)
#include "ternary_kernels.h"
#include "ternary_internal.h"

enum { kTQ2Bytes = 66, kTQ1Bytes = 54 };

static inline int tq1_trit(uint8_t byte, int n) {
    static const uint8_t pow3[5] = {1, 3, 9, 27, 81};
    const uint8_t v = (uint8_t)(byte * pow3[n]);
    return ((uint16_t)v * 3) >> 8;
}

static int32_t tq2_block_codes(const uint8_t *block, const int8_t *a) {
    int32_t s = 0;
    for (int h = 0; h < 2; h++) {
        for (int j = 0; j < 32; j++) {
            const int byte = block[32 * h + j];
            const int8_t *x = a + 128 * h + j;
            s += (byte & 3) * x[0] + ((byte >> 2) & 3) * x[32] + ((byte >> 4) & 3) * x[64] + (byte >> 6) * x[96];
        }
    }
    return s;
}

static int32_t tq1_block_codes(const uint8_t *block, const int8_t *a) {
    int32_t s = 0;
    for (int j = 0; j < 32; j++)
        for (int n = 0; n < 5; n++) s += tq1_trit(block[j], n) * a[j + 32 * n];
    for (int j = 0; j < 16; j++)
        for (int n = 0; n < 5; n++) s += tq1_trit(block[32 + j], n) * a[160 + j + 16 * n];
    for (int j = 0; j < 4; j++)
        for (int n = 0; n < 4; n++) s += tq1_trit(block[48 + j], n) * a[240 + j + 4 * n];
    return s;
}

static void tq_portable(int tq1, const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                        const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                        int64_t batch, float *out, int64_t out_stride) {
    const int64_t nb = k / 256, bytes = tq1 ? kTQ1Bytes : kTQ2Bytes;
    for (int64_t m = row0; m < row1; m++) {
        for (int64_t b = 0; b < batch; b++) {
            float sum = 0.0f;
            for (int64_t blk = 0; blk < nb; blk++) {
                const uint8_t *block = w + (m * nb + blk) * bytes;
                const int8_t *a = q + b * q_stride + 256 * blk;
                const int32_t codes = tq1 ? tq1_block_codes(block, a) : tq2_block_codes(block, a);
                const int32_t dot = codes - sums[b * nb + blk];
                const float dw = bb_half_to_float(bb_load_u16(block + bytes - 2));
                const float d = dw * scales[b * nb + blk];
                sum += (float)dot * d;
            }
            out[b * out_stride + m] = sum;
        }
    }
}

void bb_ternary_tq2_portable(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                             const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                             int64_t batch, float *out, int64_t out_stride) {
    tq_portable(0, w, k, row0, row1, q, q_stride, scales, sums, batch, out, out_stride);
}

void bb_ternary_tq1_portable(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                             const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                             int64_t batch, float *out, int64_t out_stride) {
    tq_portable(1, w, k, row0, row1, q, q_stride, scales, sums, batch, out, out_stride);
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

// One row for NT tokens: each block is decoded once and reused by every token. Blocks go 8 at a
// time so the integer sums reduce together; the float products (Σ·(d_w·d_a)) are computed 8 lanes
// at once, which rounds exactly as the scalar code, and then added to the running sum one block
// after the other, as llama.cpp's generic code does.
BB_AVX2_INLINE void tq_row_tokens(int tq1, const uint8_t *row, int64_t nb, const int8_t *q, int64_t q_stride,
                                  const float *scales, const int32_t *sums, int nt, int prefetch, float *result) {
    const int64_t bytes = tq1 ? kTQ1Bytes : kTQ2Bytes;
    float sum[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    for (int64_t g0 = 0; g0 < nb; g0 += 8) {
        const int n = nb - g0 < 8 ? (int)(nb - g0) : 8;
        __m256i part[4][8];
        uint16_t dw_bits[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < n; i++) {
            const uint8_t *block = row + (g0 + i) * bytes;
            if (prefetch) _mm_prefetch((const char *)(block + BB_PREFETCH_AHEAD), _MM_HINT_T0);
            __m256i c[8];
            if (tq1) tq1_decode(block, c); else tq2_decode(block, c);
            dw_bits[i] = bb_load_u16(block + bytes - 2);
            for (int t = 0; t < nt; t++) part[t][i] = tq_block_dot(c, q + t * q_stride + 256 * (g0 + i));
        }
        for (int t = 0; t < nt; t++)
            for (int i = n; i < 8; i++) part[t][i] = _mm256_setzero_si256();
        const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)dw_bits));
        for (int t = 0; t < nt; t++) {
            __m256 da;
            __m256i bsum;
            if (n == 8) {
                da = _mm256_loadu_ps(scales + t * nb + g0);
                bsum = _mm256_loadu_si256((const __m256i *)(sums + t * nb + g0));
            } else {
                float da_lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                int32_t sum_lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                memcpy(da_lanes, scales + t * nb + g0, (size_t)n * sizeof(float));
                memcpy(sum_lanes, sums + t * nb + g0, (size_t)n * sizeof(int32_t));
                da = _mm256_loadu_ps(da_lanes);
                bsum = _mm256_loadu_si256((const __m256i *)sum_lanes);
            }
            const __m256i dot = _mm256_sub_epi32(hsum8_epi32(part[t]), bsum);
            const __m256 d = _mm256_mul_ps(dw, da);
            float p[8];
            _mm256_storeu_ps(p, _mm256_mul_ps(_mm256_cvtepi32_ps(dot), d));
            for (int i = 0; i < n; i++) sum[t] += p[i];
        }
    }
    for (int t = 0; t < nt; t++) result[t] = sum[t];
}

#define TQ_ROWS(NAME, TQ1, NT)                                                                          \
    BB_AVX2 static void NAME(const uint8_t *w, int64_t k, int64_t row0, int64_t row1, const int8_t *q,  \
                             int64_t q_stride, const float *scales, const int32_t *sums, int prefetch,  \
                             float *acc) {                                                              \
        const int64_t nb = k / 256, bytes = (TQ1) ? kTQ1Bytes : kTQ2Bytes;                              \
        for (int64_t m = row0; m < row1; m++)                                                           \
            tq_row_tokens(TQ1, w + m * nb * bytes, nb, q, q_stride, scales, sums, NT, prefetch,         \
                          acc + (m - row0) * 4);                                                        \
    }
TQ_ROWS(tq2_rows_1, 0, 1)
TQ_ROWS(tq2_rows_2, 0, 2)
TQ_ROWS(tq2_rows_3, 0, 3)
TQ_ROWS(tq2_rows_4, 0, 4)
TQ_ROWS(tq1_rows_1, 1, 1)
TQ_ROWS(tq1_rows_2, 1, 2)
TQ_ROWS(tq1_rows_3, 1, 3)
TQ_ROWS(tq1_rows_4, 1, 4)

BB_AVX2 static void tq_avx2(int tq1, const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                            const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                            int64_t batch, float *out, int64_t out_stride) {
    enum { chunk = 16 };
    const int64_t nb = k / 256;
    float acc[chunk * 4];
    for (int64_t c0 = row0; c0 < row1; c0 += chunk) {
        const int64_t c1 = c0 + chunk < row1 ? c0 + chunk : row1;
        for (int64_t t0 = 0; t0 < batch; t0 += 4) {
            const int64_t nt = batch - t0 < 4 ? batch - t0 : 4;
            const int8_t *qt = q + t0 * q_stride;
            const float *st = scales + t0 * nb;
            const int32_t *ut = sums + t0 * nb;
            const int prefetch = batch == 1;
            if (tq1) {
                switch (nt) {
                case 1: tq1_rows_1(w, k, c0, c1, qt, q_stride, st, ut, prefetch, acc); break;
                case 2: tq1_rows_2(w, k, c0, c1, qt, q_stride, st, ut, 0, acc); break;
                case 3: tq1_rows_3(w, k, c0, c1, qt, q_stride, st, ut, 0, acc); break;
                default: tq1_rows_4(w, k, c0, c1, qt, q_stride, st, ut, 0, acc); break;
                }
            } else {
                switch (nt) {
                case 1: tq2_rows_1(w, k, c0, c1, qt, q_stride, st, ut, prefetch, acc); break;
                case 2: tq2_rows_2(w, k, c0, c1, qt, q_stride, st, ut, 0, acc); break;
                case 3: tq2_rows_3(w, k, c0, c1, qt, q_stride, st, ut, 0, acc); break;
                default: tq2_rows_4(w, k, c0, c1, qt, q_stride, st, ut, 0, acc); break;
                }
            }
            for (int64_t m = c0; m < c1; m++)
                for (int64_t t = 0; t < nt; t++) out[(t0 + t) * out_stride + m] = acc[(m - c0) * 4 + t];
        }
    }
}

BB_AVX2 void bb_ternary_tq2_avx2(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                                 const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                                 int64_t batch, float *out, int64_t out_stride) {
    tq_avx2(0, w, k, row0, row1, q, q_stride, scales, sums, batch, out, out_stride);
}

BB_AVX2 void bb_ternary_tq1_avx2(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                                 const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                                 int64_t batch, float *out, int64_t out_stride) {
    tq_avx2(1, w, k, row0, row1, q, q_stride, scales, sums, batch, out, out_stride);
}

#endif
