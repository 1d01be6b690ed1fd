// Thin wrappers over pthreads and the affinity system calls, for the worker pool.
#define _GNU_SOURCE
#include "CKernels.h"
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

typedef struct { void (*fn)(void *); void *arg; } bb_thread_start_info;

static void *bb_thread_trampoline(void *p) {
    bb_thread_start_info info = *(bb_thread_start_info *)p;
    free(p);
    info.fn(info.arg);
    return NULL;
}

int bb_thread_start(bb_thread *thread, void (*fn)(void *), void *arg) {
    bb_thread_start_info *info = malloc(sizeof *info);
    if (!info) return ENOMEM;
    info->fn = fn;
    info->arg = arg;
    pthread_t t;
    int rc = pthread_create(&t, NULL, bb_thread_trampoline, info);
    if (rc != 0) { free(info); return rc; }
    thread->handle = (uint64_t)(uintptr_t)t;
    return 0;
}

int bb_thread_join(bb_thread thread) {
    return pthread_join((pthread_t)(uintptr_t)thread.handle, NULL);
}

int bb_pin_current_thread(int cpu) {
#if defined(__linux__)
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
#else
    (void)cpu;
    return ENOTSUP;
#endif
}

int bb_allowed_cpus(int *cpus, int capacity) {
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return -errno;
    int n = 0;
    for (int c = 0; c < CPU_SETSIZE && n < capacity; c++)
        if (CPU_ISSET(c, &set)) cpus[n++] = c;
    return n;
#else
    (void)cpus; (void)capacity;
    return -ENOTSUP;
#endif
}

int bb_current_cpu(void) {
#if defined(__linux__)
    return sched_getcpu();
#else
    return -1;
#endif
}

int bb_kernel_thread_id(void) {
#if defined(__linux__)
    return (int)syscall(SYS_gettid);
#else
    return -1;
#endif
}

void bb_yield(void) { sched_yield(); }

struct bb_sleeper { pthread_mutex_t mutex; pthread_cond_t cond; };

bb_sleeper *bb_sleeper_create(void) {
    bb_sleeper *s = malloc(sizeof *s);
    if (!s) return NULL;
    pthread_mutex_init(&s->mutex, NULL);
    pthread_cond_init(&s->cond, NULL);
    return s;
}

void bb_sleeper_destroy(bb_sleeper *s) {
    if (!s) return;
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->mutex);
    free(s);
}

void bb_sleeper_wait_while_equal(bb_sleeper *s, const uint64_t *word, uint64_t value) {
    pthread_mutex_lock(&s->mutex);
    while (__atomic_load_n(word, __ATOMIC_SEQ_CST) == value) pthread_cond_wait(&s->cond, &s->mutex);
    pthread_mutex_unlock(&s->mutex);
}

void bb_sleeper_wake_all(bb_sleeper *s) {
    pthread_mutex_lock(&s->mutex);
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->mutex);
}
