#ifndef CKERNELS_H
#define CKERNELS_H
#include <stdint.h>
#include <stddef.h>

/// CPU feature bits as detected at run time (cpuid on x86, hwcaps on ARM).
typedef struct {
    int avx2, fma, f16c, avx512f, avx512bw, avx512vnni, avxvnni;
    int neon, dotprod;
} bb_cpu_features;

/// Fills the feature bits for the running CPU.
void bb_detect_cpu_features(bb_cpu_features *out);

#endif
#include "ternary_kernels.h"
