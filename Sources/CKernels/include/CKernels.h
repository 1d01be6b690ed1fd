#ifndef CKERNELS_H
#define CKERNELS_H
#include <stdint.h>
#include <stddef.h>

// ---------------------------------------------------------------------------------------------
// CPU features

/// CPU feature bits as detected at run time (cpuid on x86, hwcaps on ARM).
typedef struct {
    int avx2, fma, f16c, avx512f, avx512bw, avx512vnni, avxvnni;
    int neon, dotprod;
} bb_cpu_features;

/// Fills the feature bits for the running CPU.
void bb_detect_cpu_features(bb_cpu_features *out);

// ---------------------------------------------------------------------------------------------
// Threads, pinning and atomics for the worker pool (thread_shim.c). Functions return 0 or an errno.

/// An opaque started thread.
typedef struct { uint64_t handle; } bb_thread;

/// Starts a joinable thread running fn(arg).
int bb_thread_start(bb_thread *thread, void (*fn)(void *), void *arg);
/// Waits for the thread to end.
int bb_thread_join(bb_thread thread);
/// Pins the calling thread to one CPU (ENOTSUP where the OS has no affinity API).
int bb_pin_current_thread(int cpu);
/// Writes the CPUs the process may run on into cpus (up to capacity); returns the count or -errno.
int bb_allowed_cpus(int *cpus, int capacity);
/// The CPU the calling thread runs on now, or -1.
int bb_current_cpu(void);

/// The calling thread's kernel thread id (gettid on Linux, -1 elsewhere), for per-thread perf counters.
int bb_kernel_thread_id(void);
/// Gives up the processor (sched_yield).
void bb_yield(void);

/// A mutex + condition variable pair for the pool's sleep tier.
typedef struct bb_sleeper bb_sleeper;
/// Makes a sleeper (NULL on allocation failure).
bb_sleeper *bb_sleeper_create(void);
/// Frees a sleeper nobody waits on.
void bb_sleeper_destroy(bb_sleeper *s);
/// Blocks while *word == value (rechecked under the lock, so a wake between check and wait is not lost).
void bb_sleeper_wait_while_equal(bb_sleeper *s, const uint64_t *word, uint64_t value);
/// Wakes every waiter.
void bb_sleeper_wake_all(bb_sleeper *s);

static inline uint64_t bb_atomic_load_acquire(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline uint64_t bb_atomic_load_seq(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline void bb_atomic_store_release(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static inline uint64_t bb_atomic_add(uint64_t *p, uint64_t v) { return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); }
static inline uint64_t bb_atomic_sub(uint64_t *p, uint64_t v) { return __atomic_sub_fetch(p, v, __ATOMIC_ACQ_REL); }
/// Sets *p from expected to desired; true when it did.
static inline int bb_atomic_cas(uint64_t *p, uint64_t expected, uint64_t desired) {
    return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
/// A spin-wait hint (pause on x86, yield on ARM).
static inline void bb_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

// ---------------------------------------------------------------------------------------------
// Matrix kernels. One argument block per product; every kernel computes rows [row_begin, row_end)
// of y[b*y_stride + m] = sum_k W[m][k] * x[b][k] for b in 0..<batch, so workers split rows.

/// Arguments shared by every matrix kernel.
typedef struct {
    const void *weights;   ///< row 0 of the weight blob
    size_t row_bytes;      ///< bytes per weight row
    size_t k;              ///< row length (input features)
    const void *act;       ///< token 0 of the encoded activations
    size_t act_stride;     ///< bytes between tokens in act
    size_t batch;          ///< tokens
    float *y;              ///< output, token-major
    size_t y_stride;       ///< floats between tokens in y (normally M)
    const float *act_d;    ///< Q8 activations on the AVX2 path: each block's d as float (else NULL)
    const float *act_s;    ///< Q8_1 activations on the AVX2 path: each block's s as float (else NULL)
    size_t act_scale_stride; ///< floats between tokens in act_d / act_s
} bb_matmul_args;

/// A kernel over a row range.
typedef void (*bb_matmul_kernel)(const bb_matmul_args *args, size_t row_begin, size_t row_end);

// GEMV (batch 1) and GEMM (any batch) per format and path. "avx2" needs AVX2+FMA+F16C at run
// time (on other architectures it forwards to "portable"); "portable" is plain C.
#define BB_DECLARE_KERNELS(fmt) \
    void bb_##fmt##_gemv_avx2(const bb_matmul_args *a, size_t row_begin, size_t row_end); \
    void bb_##fmt##_gemm_avx2(const bb_matmul_args *a, size_t row_begin, size_t row_end); \
    void bb_##fmt##_gemv_portable(const bb_matmul_args *a, size_t row_begin, size_t row_end); \
    void bb_##fmt##_gemm_portable(const bb_matmul_args *a, size_t row_begin, size_t row_end);
BB_DECLARE_KERNELS(f32)
BB_DECLARE_KERNELS(f16)
BB_DECLARE_KERNELS(q8_0)
BB_DECLARE_KERNELS(q4_0)
BB_DECLARE_KERNELS(q4_1)

// Activation encoders, one token (row of k floats) per call.
/// Rounds each float to the nearest half (RNE) and stores it back as a float.
void bb_round_to_half_avx2(const float *x, size_t n, float *out);
void bb_round_to_half_portable(const float *x, size_t n, float *out);
/// llama.cpp's quantize_row_q8_0_ref: blocks of 32, d = amax/127 (fp16), qs = roundf(x/d); k % 32 == 0.
void bb_quantize_q8_0_avx2(const float *x, size_t k, void *out);
void bb_quantize_q8_0_portable(const float *x, size_t k, void *out);
/// llama.cpp's quantize_row_q8_1_ref: as Q8_0 plus s = fp16(d * sum qs).
void bb_quantize_q8_1_avx2(const float *x, size_t k, void *out);
void bb_quantize_q8_1_portable(const float *x, size_t k, void *out);

/// The float values of n Q8_0 (block_bytes 34) or Q8_1 (36) block scales d, and for Q8_1 of the
/// block sums s (s_out may be NULL): the AVX2 kernels read scales 8 blocks at a time from these.
void bb_q8_block_scales(const void *blocks, size_t n, size_t block_bytes, float *d_out, float *s_out);

// Memory read bandwidth probe: sums n floats (a STREAM-like read), so the loads cannot be dropped.
float bb_read_sum_avx2(const float *x, size_t n);
float bb_read_sum_portable(const float *x, size_t n);

#endif
#include "ternary_kernels.h"
