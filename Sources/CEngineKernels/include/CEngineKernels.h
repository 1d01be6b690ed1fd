// The engine's non-matmul hot loops (attention, RoPE, gated activation, F16 conversion), written
// in ggml's operation order so the engine rounds exactly as llama.cpp/bitnet.cpp builds for
// AVX2+FMA+F16C do. Each function takes `avx2`: nonzero runs the AVX2/FMA/F16C code (compiled with
// a per-function target attribute, so the target also builds on ARM), zero runs a portable twin
// that computes the same values one lane at a time.
#ifndef C_ENGINE_KERNELS_H
#define C_ENGINE_KERNELS_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// dst[i] = float value of IEEE half bits src[i].
void be_f16_to_f32(const uint16_t *src, float *dst, size_t n, int avx2);

/// dst[i] = IEEE half bits of src[i], rounded to nearest even (ggml's GGML_FP32_TO_FP16).
void be_f32_to_f16(const float *src, uint16_t *dst, size_t n, int avx2);

/// ggml_vec_dot_f16: Σ x[i]·y[i] over n halves, four 8-lane accumulators over steps of 32,
/// reduced pairwise, the tail added in double.
float be_dot_f16(const uint16_t *x, const uint16_t *y, size_t n, int avx2);

/// One query head over `length` cached positions, as ggml's non-flash attention computes it:
/// q rounded to F16; scores = (K·q)·scale; softmax with ggml_v_expf and a double sum; weights
/// rounded to F16; out[d] = Σ_t w_t·V[t][d] summed like ggml_vec_dot_f16 over the transposed
/// values, padded with zero weights to a multiple of 32 positions.
///   keys     (length, head_dim) halves, rows `head_dim` apart
///   values   (blocks, head_dim, 32) halves: block b holds positions 32b..32b+31 of each dimension
///            (the transposed values cut into 32-position tiles); at least round_up(length, 32) positions
///   scores   scratch of round_up(length, 32) floats; weights scratch of as many halves; q16 head_dim halves
void be_attend_head(const uint16_t *keys, const uint16_t *values, const float *query,
                    size_t length, size_t head_dim, float scale, float *scores, uint16_t *weights, uint16_t *q16,
                    float *out, int avx2);

/// RoPE on `heads` heads of `head_dim` floats laid end to end: pairs (i, i + n_rot/2) when `neox`,
/// else (2i, 2i+1), rotated by cs[2i] (cos) and cs[2i+1] (sin) as
/// x0' = fma(x0, cos, -(x1·sin)), x1' = fma(x0, sin, x1·cos) (what clang's default FP contraction
/// makes of ggml's rope loop).
void be_rope(float *x, size_t heads, size_t head_dim, size_t n_rot, const float *cs, int neox, int avx2);

/// gate[r][i] = silu(gate[r][i]) · up[r][i] for `rows` rows of `width`: ggml_v_silu on each full
/// group of 8 from the row start, x/(1+expf(-x)) on the rest, then the product in f32.
void be_silu_mul(float *gate, const float *up, size_t rows, size_t width, int avx2);

#ifdef __cplusplus
}
#endif
#endif
