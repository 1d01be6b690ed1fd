// F16 weights x half-rounded F32 activations (ggml converts activations to F16 for vec_dot_f16;
// the product of two halves is exact in float, so keeping them as floats changes nothing).
#include "kernel_common.h"

#define BB_FMT f16
#define BB_WT uint16_t
#define BB_LOAD8(p) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p)))
#define BB_SCALAR(v) bb_half_to_float(v)
#include "float_kernel_template.h"
