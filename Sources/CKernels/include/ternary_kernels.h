#ifndef TERNARY_KERNELS_H
#define TERNARY_KERNELS_H
// Kernels of the ternary weight formats (I2_S, TL1, TL2, TQ1_0, TQ2_0): activation encoders,
// lookup-table builders and the GEMV/GEMM loops. Every function comes as a `_portable` version
// (plain C, any CPU) and, on x86-64, an `_avx2` version; the Swift side picks one. Layouts and
// float orders are documented in Sources/Kernels/Formats. Batches are token-major: token b's
// int8 row starts at q + b*q_stride; outputs go to out[b*out_stride + row].
#include <stdint.h>

// ---- Activation encoders (one call encodes `batch` tokens of k floats, rows k floats apart) ----

// I2_S: bitnet.cpp quantize_row_i8_s (per-token scale s and Σq).
void bb_ternary_quantize_i8s_portable(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                      float *scales, int32_t *sums);
// TL1/TL2: lut_scale = 127/max|x| in f32, no floor (all-zero row: zeros and +inf).
void bb_ternary_quantize_lut_portable(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                      float *scales);
// Q8_K (TQ1_0/TQ2_0): per 256-block d and Σq; `scales`/`sums` hold k/256 entries per token.
void bb_ternary_quantize_q8k_portable(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                      float *scales, int32_t *sums);

// ---- TL lookup tables for one token: for each of k3/3 triples then k2/2 pairs, 32 bytes: the low
// bytes of the 16 int16 entries, then their high bytes (pshufb planes). ----
void bb_ternary_tl_tables_portable(const int8_t *q, int64_t k3, int64_t k2, int8_t *tables);

// ---- Products over a row (or 32-row group) range, for a batch of encoded tokens ----

// I2_S, standard blob read flat (row m = flat elements m*k.., which start inside a block when
// k % 128 != 0; k % 32 == 0 and m*k % 128 == 0); y = ((float)Σcode·q - (float)Σq) / s * alpha.
void bb_ternary_i2s_portable(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                             const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                             int64_t batch, float alpha, float *out, int64_t out_stride);
// TQ2_0 / TQ1_0, standard blob; the float order of ggml's AVX2 TQ kernels (see ternary_tq.c).
void bb_ternary_tq2_portable(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                             const int8_t *q, int64_t q_stride, const float *scales,
                             int64_t batch, float *out, int64_t out_stride);
void bb_ternary_tq1_portable(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                             const int8_t *q, int64_t q_stride, const float *scales,
                             int64_t batch, float *out, int64_t out_stride);
// TL1/TL2 repacked group-major layout (TernaryPreparedWeights): groups [g0, g1) of 32 rows, each
// k3/24 chunks of 160 bytes then k2/4 pair vectors of 32 bytes; `row_bias` holds, per row (32 per
// group), the number of negative triples (see ternary_tl.c); y = (float)Σw·b / lut_scale * alpha.
// Rows at or beyond `rows` are not written.
void bb_ternary_tl_portable(const uint8_t *packed, int64_t k3, int64_t k2, int64_t rows, int64_t g0, int64_t g1,
                            const int32_t *row_bias, const int8_t *tables, int64_t table_stride, const float *scales,
                            int64_t batch, float alpha, float *out, int64_t out_stride);

#if defined(__x86_64__)
void bb_ternary_quantize_i8s_avx2(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                  float *scales, int32_t *sums);
void bb_ternary_quantize_lut_avx2(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                  float *scales);
void bb_ternary_quantize_q8k_avx2(const float *x, int64_t k, int64_t batch, int8_t *q, int64_t q_stride,
                                  float *scales, int32_t *sums);
void bb_ternary_tl_tables_avx2(const int8_t *q, int64_t k3, int64_t k2, int8_t *tables);
void bb_ternary_i2s_avx2(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                         const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                         int64_t batch, float alpha, float *out, int64_t out_stride);
// VNNI versions of bb_ternary_i2s_avx2 (ternary_i2s_vnni.c): same arguments, same results bit for bit.
// Callers check CPUID first: AVX-512 F/BW/VNNI, or AVX-VNNI (plus AVX2/FMA/F16C for both).
void bb_ternary_i2s_avx512vnni(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                               const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                               int64_t batch, float alpha, float *out, int64_t out_stride);
void bb_ternary_i2s_avxvnni(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                            const int8_t *q, int64_t q_stride, const float *scales, const int32_t *sums,
                            int64_t batch, float alpha, float *out, int64_t out_stride);
void bb_ternary_tq2_avx2(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                         const int8_t *q, int64_t q_stride, const float *scales,
                         int64_t batch, float *out, int64_t out_stride);
void bb_ternary_tq1_avx2(const uint8_t *w, int64_t k, int64_t row0, int64_t row1,
                         const int8_t *q, int64_t q_stride, const float *scales,
                         int64_t batch, float *out, int64_t out_stride);
void bb_ternary_tl_avx2(const uint8_t *packed, int64_t k3, int64_t k2, int64_t rows, int64_t g0, int64_t g1,
                        const int32_t *row_bias, const int8_t *tables, int64_t table_stride, const float *scales,
                        int64_t batch, float alpha, float *out, int64_t out_stride);
#endif

#endif
