// The float value of every IEEE half, for scale conversions inside the kernels (ggml keeps the same
// table, ggml_table_f32_f16). Filled by a load-time constructor, so it is ready before any kernel.
#include "kernel_common.h"

float bb_half_table[65536];

__attribute__((constructor)) static void bb_fill_half_table(void) {
    for (uint32_t h = 0; h < 65536; h++) bb_half_table[h] = bb_half_to_float((uint16_t)h);
}
