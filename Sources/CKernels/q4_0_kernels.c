// Q4_0 weights x Q8_0 activations (ggml's vec_dot_q4_0_q8_0).
#include "kernel_common.h"

#if BB_X86
// The 16 code bytes hold elements j (low nibble) and j+16 (high nibble): put the low nibbles in
// the lower 128-bit lane and the high nibbles in the upper one, then subtract the offset 8.
BB_AVX2_INLINE __m256i bb_q4_0_decode(const bb_block_q4_0 *b) {
    const __m128i packed = _mm_loadu_si128((const __m128i *)b->qs);
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
    return _mm256_sub_epi8(_mm256_and_si256(both, _mm256_set1_epi8(0x0f)), _mm256_set1_epi8(8));
}
#endif

#define BB_FMT q4_0
#define BB_WBLOCK bb_block_q4_0
#define BB_ABLOCK bb_block_q8_0
#define BB_DECODE(wb) bb_q4_0_decode(wb)
#define BB_DOT(wq, ab) bb_dot_i8((wq), _mm256_loadu_si256((const __m256i *)(ab)->qs))
#define BB_MAGNITUDE(wq) _mm256_sign_epi8((wq), (wq))
#define BB_DOT_PREPARED(wq, mag, ab) bb_dot_i8_prepared((wq), (mag), _mm256_loadu_si256((const __m256i *)(ab)->qs))
#define BB_HAS_OFFSET 0
#define BB_EXTRA(wb, ab) 0.0f
#define BB_SCALAR_EXTRA(wb, ab) 0.0f

static inline int bb_q4_0_block_dot(const bb_block_q4_0 *w, const bb_block_q8_0 *x) {
    int sum = 0;
    for (int j = 0; j < 16; j++) {
        sum += ((int)(w->qs[j] & 15) - 8) * (int)x->qs[j];
        sum += ((int)(w->qs[j] >> 4) - 8) * (int)x->qs[j + 16];
    }
    return sum;
}
#define BB_SCALAR_DOT(wb, ab) bb_q4_0_block_dot((wb), (ab))

#include "quant_kernel_template.h"
