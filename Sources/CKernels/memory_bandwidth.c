// A STREAM-style read kernel: the roofline the GEMV kernels are compared with. It reads every
// byte once, in the same streaming pattern as a GEMV (sequential, 64 bytes per line, prefetch
// ahead), and sums the floats so the loads cannot be removed.
#include "kernel_common.h"

#if BB_X86
BB_AVX2 float bb_read_sum_avx2(const float *x, size_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        BB_PREFETCH((const char *)(x + i) + BB_PREFETCH_BYTES);
        BB_PREFETCH((const char *)(x + i) + BB_PREFETCH_BYTES + 64);
        s0 = _mm256_add_ps(s0, _mm256_loadu_ps(x + i));
        s1 = _mm256_add_ps(s1, _mm256_loadu_ps(x + i + 8));
        s2 = _mm256_add_ps(s2, _mm256_loadu_ps(x + i + 16));
        s3 = _mm256_add_ps(s3, _mm256_loadu_ps(x + i + 24));
    }
    float sum = bb_hsum_ps(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) sum += x[i];
    return sum;
}
#else
float bb_read_sum_avx2(const float *x, size_t n) { return bb_read_sum_portable(x, n); }
#endif

float bb_read_sum_portable(const float *x, size_t n) {
    float acc[16] = {0};
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (size_t j = 0; j < 16; j++) acc[j] += x[i + j];
    float sum = 0;
    for (size_t j = 0; j < 16; j++) sum += acc[j];
    for (; i < n; i++) sum += x[i];
    return sum;
}
