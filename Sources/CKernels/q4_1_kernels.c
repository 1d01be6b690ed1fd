// Q4_1 weights x Q8_1 activations (ggml's vec_dot_q4_1_q8_1): per block
// d_w*d_a*sum(q_w*q_a) + m_w*s_a, where s_a = d_a*sum(q_a) is stored in the activation block.
#include "kernel_common.h"

#if BB_X86
// Codes stay unsigned (0..15), which is vpmaddubsw's unsigned operand directly.
BB_AVX2_INLINE __m256i bb_q4_1_decode(const bb_block_q4_1 *b) {
    const __m128i packed = _mm_loadu_si128((const __m128i *)b->qs);
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0f));
}

BB_AVX2_INLINE __m256i bb_q4_1_dot(__m256i wq, const bb_block_q8_1 *x) {
    const __m256i xq = _mm256_loadu_si256((const __m256i *)x->qs);
    return _mm256_madd_epi16(_mm256_maddubs_epi16(wq, xq), _mm256_set1_epi16(1));
}
#endif

#define BB_FMT q4_1
#define BB_WBLOCK bb_block_q4_1
#define BB_ABLOCK bb_block_q8_1
#define BB_DECODE(wb) bb_q4_1_decode(wb)
#define BB_DOT(wq, ab) bb_q4_1_dot((wq), (ab))
#define BB_MAGNITUDE(wq) (wq)
#define BB_DOT_PREPARED(wq, mag, ab) bb_q4_1_dot((wq), (ab))
#define BB_HAS_OFFSET 1
#define BB_EXTRA(wb, ab) (bb_half_to_float_f16c((wb)->m) * bb_half_to_float_f16c((ab)->s))
#define BB_SCALAR_EXTRA(wb, ab) (bb_half_to_float((wb)->m) * bb_half_to_float((ab)->s))

static inline int bb_q4_1_block_dot(const bb_block_q4_1 *w, const bb_block_q8_1 *x) {
    int sum = 0;
    for (int j = 0; j < 16; j++) {
        sum += (int)(w->qs[j] & 15) * (int)x->qs[j];
        sum += (int)(w->qs[j] >> 4) * (int)x->qs[j + 16];
    }
    return sum;
}
#define BB_SCALAR_DOT(wb, ab) bb_q4_1_block_dot((wb), (ab))

#include "quant_kernel_template.h"
