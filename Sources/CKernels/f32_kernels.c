// F32 weights x F32 activations (ggml's vec_dot_f32).
#include "kernel_common.h"

void bb_f32_gemv_portable(const bb_matmul_args *a, size_t row_begin, size_t row_end);
void bb_f32_gemm_portable(const bb_matmul_args *a, size_t row_begin, size_t row_end);

#define BB_FMT f32
#define BB_WT float
#define BB_LOAD8(p) _mm256_loadu_ps(p)
#define BB_SCALAR(v) (v)
#include "float_kernel_template.h"
