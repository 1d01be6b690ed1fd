// Run-time CPU feature detection: the kernel path is picked once from these bits.
#include "CKernels.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long read_xcr0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

void bb_detect_cpu_features(bb_cpu_features *out) {
    memset(out, 0, sizeof *out);
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return;
    int osxsave = (c >> 27) & 1;
    int avx = (c >> 28) & 1;
    out->fma = (c >> 12) & 1;
    out->f16c = (c >> 29) & 1;
    // AVX state must be enabled by the OS (XCR0 bits 1 and 2) before any AVX feature counts.
    int ymm_ok = osxsave && ((read_xcr0() & 0x6) == 0x6);
    int zmm_ok = osxsave && ((read_xcr0() & 0xE6) == 0xE6);
    if (!ymm_ok) { out->fma = 0; out->f16c = 0; return; }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        out->avx2 = avx && ((b >> 5) & 1);
        if (zmm_ok) {
            out->avx512f = (b >> 16) & 1;
            out->avx512bw = (b >> 30) & 1;
            out->avx512vnni = (c >> 11) & 1;
        }
    }
    if (__get_cpuid_count(7, 1, &a, &b, &c, &d)) out->avxvnni = (a >> 4) & 1;
}

#elif defined(__aarch64__)
#if defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#endif

void bb_detect_cpu_features(bb_cpu_features *out) {
    memset(out, 0, sizeof *out);
    out->neon = 1; // mandatory on AArch64
#if defined(__linux__)
    out->dotprod = (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
#elif defined(__APPLE__)
    out->dotprod = 1;
#endif
}

#else
void bb_detect_cpu_features(bb_cpu_features *out) { memset(out, 0, sizeof *out); }
#endif
