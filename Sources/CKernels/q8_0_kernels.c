// Q8_0 weights x Q8_0 activations (ggml's vec_dot_q8_0_q8_0).
#include "kernel_common.h"

#define BB_FMT q8_0
#define BB_WBLOCK bb_block_q8_0
#define BB_ABLOCK bb_block_q8_0
#define BB_DECODE(wb) _mm256_loadu_si256((const __m256i *)(wb)->qs)
#define BB_DOT(wq, ab) bb_dot_i8((wq), _mm256_loadu_si256((const __m256i *)(ab)->qs))
#define BB_MAGNITUDE(wq) _mm256_sign_epi8((wq), (wq))
#define BB_DOT_PREPARED(wq, mag, ab) bb_dot_i8_prepared((wq), (mag), _mm256_loadu_si256((const __m256i *)(ab)->qs))
#define BB_HAS_OFFSET 0
#define BB_EXTRA(wb, ab) 0.0f
#define BB_SCALAR_EXTRA(wb, ab) 0.0f

static inline int bb_q8_0_block_dot(const bb_block_q8_0 *w, const bb_block_q8_0 *x) {
    int sum = 0;
    for (int j = 0; j < 32; j++) sum += (int)w->qs[j] * (int)x->qs[j];
    return sum;
}
#define BB_SCALAR_DOT(wb, ab) bb_q8_0_block_dot((wb), (ab))

#include "quant_kernel_template.h"
