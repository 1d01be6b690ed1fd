// TL1/TL2 products on the repacked group-major layout that TernaryPreparedWeights builds from
// bitnet.cpp's tiles. A group is 32 rows: k3/24 chunks of 8 triples, each 4 magnitude vectors
// (byte q: row bb_tl_row(q), high nibble triple 2p, low nibble triple 2p+1; bitnet.cpp's own TL2
// vectors) and one sign vector (byte q, bit e: the sign of triple e of row bb_tl_row(q)), then k2/4
// pair vectors (high nibble pair 2v, low nibble pair 2v+1, codes 3*w0 + w1 + 4).
// A negative entry is taken as ~v = -v - 1 (an XOR of both byte planes with the sign mask), so
// Σ sign·v = Σ (v ^ mask) + (number of negative triples of the row): that count depends on the
// weights only and comes in `row_bias`. y = ((float)Σw·b / lut_scale) * alpha.
#pragma clang fp contract(off)
#include "ternary_kernels.h"
#include "ternary_internal.h"

static inline int16_t table_entry(const int8_t *table, int m) {
    return (int16_t)((uint16_t)(uint8_t)table[m] | ((uint16_t)(uint8_t)table[16 + m] << 8));
}

void bb_ternary_tl_portable(const uint8_t *packed, int64_t k3, int64_t k2, int64_t rows, int64_t g0, int64_t g1,
                            const int32_t *row_bias, const int8_t *tables, int64_t table_stride, const float *scales,
                            int64_t batch, float alpha, float *out, int64_t out_stride) {
    // Plain ±v here, so the negative-triple count in row_bias is not needed.
    (void)row_bias;
    const int64_t chunks = k3 / 24, pair_vectors = k2 / 4;
    const int64_t group_bytes = chunks * BB_TL_CHUNK_BYTES + pair_vectors * 32;
    for (int64_t g = g0; g < g1; g++) {
        const uint8_t *gp = packed + g * group_bytes;
        for (int64_t b = 0; b < batch; b++) {
            const int8_t *triples = tables + b * table_stride;
            const int8_t *pairs = triples + 32 * (k3 / 3);
            int32_t acc[32] = {0};
            for (int64_t c = 0; c < chunks; c++) {
                const uint8_t *chunk = gp + c * BB_TL_CHUNK_BYTES;
                const uint8_t *signs = chunk + 128;
                for (int p = 0; p < 4; p++) {
                    for (int q = 0; q < 32; q++) {
                        const int row = bb_tl_row(q);
                        for (int nib = 0; nib < 2; nib++) {
                            const int e = 2 * p + nib;
                            const int magnitude = nib ? chunk[32 * p + q] & 15 : chunk[32 * p + q] >> 4;
                            const int negative = (signs[q] >> e) & 1;
                            const int v = table_entry(triples + 32 * (8 * c + e), magnitude);
                            acc[row] += negative ? -v : v;
                        }
                    }
                }
            }
            const uint8_t *tail = gp + chunks * BB_TL_CHUNK_BYTES;
            for (int64_t v = 0; v < pair_vectors; v++) {
                for (int q = 0; q < 32; q++) {
                    const int byte = tail[32 * v + q];
                    acc[bb_tl_row(q)] += table_entry(pairs + 32 * (2 * v), byte >> 4)
                                       + table_entry(pairs + 32 * (2 * v + 1), byte & 15);
                }
            }
            for (int r = 0; r < 32; r++) {
                const int64_t m = 32 * g + r;
                if (m < rows) out[b * out_stride + m] = ((float)acc[r] / scales[b]) * alpha;
            }
        }
    }
}

#if defined(__x86_64__)

// Adds one lookup for NT tokens: the 16 int16 entries of each token's table sit in two 16-byte
// planes; pshufb picks 32 rows' low and high bytes, and unpacklo/hi rebuild rows 0-15 and 16-31
// (the PERM of the layout makes the lanes come out in row order).
BB_AVX2_INLINE void tl_lookup(__m256i idx, const int8_t *const *tab, int64_t offset, int nt,
                              __m256i acc[][2], __m256i negative, int signed_entries) {
    for (int t = 0; t < nt; t++) {
        const int8_t *table = tab[t] + offset;
        const __m256i lo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)table));
        const __m256i hi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(table + 16)));
        __m256i vlo = _mm256_shuffle_epi8(lo, idx), vhi = _mm256_shuffle_epi8(hi, idx);
        if (signed_entries) {
            vlo = _mm256_xor_si256(vlo, negative);
            vhi = _mm256_xor_si256(vhi, negative);
        }
        acc[t][0] = _mm256_add_epi16(acc[t][0], _mm256_unpacklo_epi8(vlo, vhi));
        acc[t][1] = _mm256_add_epi16(acc[t][1], _mm256_unpackhi_epi8(vlo, vhi));
    }
}

BB_AVX2_INLINE void tl_widen(__m256i acc16[][2], __m256i acc32[][4], int nt) {
    for (int t = 0; t < nt; t++) {
        acc32[t][0] = _mm256_add_epi32(acc32[t][0], _mm256_cvtepi16_epi32(_mm256_castsi256_si128(acc16[t][0])));
        acc32[t][1] = _mm256_add_epi32(acc32[t][1], _mm256_cvtepi16_epi32(_mm256_extracti128_si256(acc16[t][0], 1)));
        acc32[t][2] = _mm256_add_epi32(acc32[t][2], _mm256_cvtepi16_epi32(_mm256_castsi256_si128(acc16[t][1])));
        acc32[t][3] = _mm256_add_epi32(acc32[t][3], _mm256_cvtepi16_epi32(_mm256_extracti128_si256(acc16[t][1], 1)));
        acc16[t][0] = _mm256_setzero_si256();
        acc16[t][1] = _mm256_setzero_si256();
    }
}

// One 32-row group for NT tokens. A triple entry is at most 3·127 = 381 (382 as ~v), so a row
// gains at most 8·382 per chunk: 8 chunks (24448) fit int16 before widening. A pair vector adds
// at most 2·254 per row: 32 vectors (16256) fit.
BB_AVX2_INLINE void tl_group_tokens(const uint8_t *gp, int64_t chunks, int64_t pair_vectors,
                                    const int8_t *const *tab, int64_t pair_offset, int nt, int prefetch,
                                    int32_t *result /* [nt][32] */) {
    const __m256i m0f = _mm256_set1_epi8(0x0f);
    __m256i acc16[4][2], acc32[4][4];
    for (int t = 0; t < nt; t++) {
        acc16[t][0] = acc16[t][1] = _mm256_setzero_si256();
        for (int i = 0; i < 4; i++) acc32[t][i] = _mm256_setzero_si256();
    }
    for (int64_t c0 = 0; c0 < chunks; c0 += 8) {
        const int64_t c1 = c0 + 8 < chunks ? c0 + 8 : chunks;
        for (int64_t c = c0; c < c1; c++) {
            const uint8_t *chunk = gp + c * BB_TL_CHUNK_BYTES;
            if (prefetch) {
                _mm_prefetch((const char *)(chunk + BB_PREFETCH_AHEAD), _MM_HINT_T0);
                _mm_prefetch((const char *)(chunk + BB_PREFETCH_AHEAD + 64), _MM_HINT_T0);
                _mm_prefetch((const char *)(chunk + BB_PREFETCH_AHEAD + 128), _MM_HINT_T0);
            }
            const __m256i signs = _mm256_loadu_si256((const __m256i *)(chunk + 128));
            for (int p = 0; p < 4; p++) {
                const __m256i a = _mm256_loadu_si256((const __m256i *)(chunk + 32 * p));
                const __m256i ihi = _mm256_and_si256(_mm256_srli_epi16(a, 4), m0f);
                const __m256i ilo = _mm256_and_si256(a, m0f);
                // Byte q of the sign vector holds the signs of row bb_tl_row(q), bit e for triple e:
                // a byte mask per triple, in the same byte order as the lookups.
                const int e0 = 2 * p, e1 = 2 * p + 1;
                const __m256i b0 = _mm256_set1_epi8((char)(1 << e0)), b1 = _mm256_set1_epi8((char)(1 << e1));
                const __m256i n0 = _mm256_cmpeq_epi8(_mm256_and_si256(signs, b0), b0);
                const __m256i n1 = _mm256_cmpeq_epi8(_mm256_and_si256(signs, b1), b1);
                tl_lookup(ihi, tab, 32 * (8 * c + e0), nt, acc16, n0, 1);
                tl_lookup(ilo, tab, 32 * (8 * c + e1), nt, acc16, n1, 1);
            }
        }
        tl_widen(acc16, acc32, nt);
    }
    const uint8_t *tail = gp + chunks * BB_TL_CHUNK_BYTES;
    const __m256i none = _mm256_setzero_si256();
    for (int64_t v0 = 0; v0 < pair_vectors; v0 += 32) {
        const int64_t v1 = v0 + 32 < pair_vectors ? v0 + 32 : pair_vectors;
        for (int64_t v = v0; v < v1; v++) {
            const __m256i a = _mm256_loadu_si256((const __m256i *)(tail + 32 * v));
            if (prefetch && !(v & 1)) _mm_prefetch((const char *)(tail + 32 * v + BB_PREFETCH_AHEAD), _MM_HINT_T0);
            tl_lookup(_mm256_and_si256(_mm256_srli_epi16(a, 4), m0f), tab, pair_offset + 32 * (2 * v), nt, acc16, none, 0);
            tl_lookup(_mm256_and_si256(a, m0f), tab, pair_offset + 32 * (2 * v + 1), nt, acc16, none, 0);
        }
        tl_widen(acc16, acc32, nt);
    }
    for (int t = 0; t < nt; t++)
        for (int i = 0; i < 4; i++) _mm256_storeu_si256((__m256i *)(result + 32 * t + 8 * i), acc32[t][i]);
}

#define TL_GROUPS(NT)                                                                                   \
    BB_AVX2 static void tl_groups_##NT(const uint8_t *packed, int64_t group_bytes, int64_t chunks,      \
                                       int64_t pair_vectors, int64_t g, const int8_t *const *tab,       \
                                       int64_t pair_offset, int prefetch, int32_t *result) {            \
        tl_group_tokens(packed + g * group_bytes, chunks, pair_vectors, tab, pair_offset, NT, prefetch, \
                        result);                                                                        \
    }
TL_GROUPS(1)
TL_GROUPS(2)
TL_GROUPS(3)
TL_GROUPS(4)

BB_AVX2 void bb_ternary_tl_avx2(const uint8_t *packed, int64_t k3, int64_t k2, int64_t rows, int64_t g0, int64_t g1,
                                const int32_t *row_bias, const int8_t *tables, int64_t table_stride, const float *scales,
                                int64_t batch, float alpha, float *out, int64_t out_stride) {
    const int64_t chunks = k3 / 24, pair_vectors = k2 / 4;
    const int64_t group_bytes = chunks * BB_TL_CHUNK_BYTES + pair_vectors * 32;
    const int64_t pair_offset = 32 * (k3 / 3);
    int32_t acc[4 * 32];
    const __m256 valpha = _mm256_set1_ps(alpha);
    for (int64_t g = g0; g < g1; g++) {
        for (int64_t t0 = 0; t0 < batch; t0 += 4) {
            const int nt = batch - t0 < 4 ? (int)(batch - t0) : 4;
            const int8_t *tab[4];
            for (int t = 0; t < nt; t++) tab[t] = tables + (t0 + t) * table_stride;
            switch (nt) {
            case 1: tl_groups_1(packed, group_bytes, chunks, pair_vectors, g, tab, pair_offset, batch == 1, acc); break;
            case 2: tl_groups_2(packed, group_bytes, chunks, pair_vectors, g, tab, pair_offset, 0, acc); break;
            case 3: tl_groups_3(packed, group_bytes, chunks, pair_vectors, g, tab, pair_offset, 0, acc); break;
            default: tl_groups_4(packed, group_bytes, chunks, pair_vectors, g, tab, pair_offset, 0, acc); break;
            }
            for (int t = 0; t < nt; t++) {
                const __m256 vs = _mm256_set1_ps(scales[t0 + t]);
                float *o = out + (t0 + t) * out_stride + 32 * g;
                const int64_t valid = rows - 32 * g < 32 ? rows - 32 * g : 32;
                float y[32];
                for (int i = 0; i < 4; i++) {
                    const __m256i bias = _mm256_loadu_si256((const __m256i *)(row_bias + 32 * g + 8 * i));
                    const __m256i sum = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)(acc + 32 * t + 8 * i)), bias);
                    const __m256 f = _mm256_cvtepi32_ps(sum);
                    _mm256_storeu_ps(y + 8 * i, _mm256_mul_ps(_mm256_div_ps(f, vs), valpha));
                }
                memcpy(o, y, (size_t)valid * sizeof(float));
            }
        }
    }
}

#endif
