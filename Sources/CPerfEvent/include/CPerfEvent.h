#ifndef CPERFEVENT_H
#define CPERFEVENT_H
#include <stdint.h>
#include <sys/types.h>

/// Opens a perf event. `attr` points at a `struct perf_event_attr` from <linux/perf_event.h>;
/// it is passed as void* because libpfm4 declares its own copy of that struct.
/// Returns the fd, or -1 with errno set.
int bb_perf_event_open(void *attr, pid_t pid, int cpu, int group_fd, unsigned long flags);

/// sizeof(struct perf_event_attr) as the kernel headers of this build know it.
uint32_t bb_perf_event_attr_size(void);

/// ioctl helpers for an opened event (PERF_EVENT_IOC_ENABLE/DISABLE/RESET); 0 or -1 with errno.
int bb_perf_event_enable(int fd, int whole_group);
int bb_perf_event_disable(int fd, int whole_group);
int bb_perf_event_reset(int fd, int whole_group);

// Kernel constants, mirrored so Swift never needs <linux/perf_event.h>; CPerfEvent.c checks each
// against the kernel header with _Static_assert.
enum {
    BB_PERF_TYPE_HARDWARE = 0,
    BB_PERF_TYPE_SOFTWARE = 1,
    BB_PERF_TYPE_TRACEPOINT = 2,
    BB_PERF_TYPE_HW_CACHE = 3,
    BB_PERF_TYPE_RAW = 4,
    BB_PERF_TYPE_BREAKPOINT = 5,
};
enum {
    BB_PERF_FORMAT_TOTAL_TIME_ENABLED = 1 << 0,
    BB_PERF_FORMAT_TOTAL_TIME_RUNNING = 1 << 1,
    BB_PERF_FORMAT_ID = 1 << 2,
    BB_PERF_FORMAT_GROUP = 1 << 3,
};
enum { BB_PERF_FLAG_FD_CLOEXEC = 1 << 3 };

/// The fields of `struct perf_event_attr` that BitBench sets, as a plain struct Swift can build.
/// Booleans are 0 or 1.
typedef struct {
    uint32_t type;
    uint64_t config;
    uint64_t config1;
    uint64_t config2;
    uint64_t read_format;
    uint8_t disabled;
    uint8_t inherit;
    uint8_t enable_on_exec;
    uint8_t exclude_user;
    uint8_t exclude_kernel;
    uint8_t exclude_hv;
    uint8_t exclude_idle;
    uint8_t exclude_guest;
} bb_perf_event_spec;

/// Fills a zeroed kernel perf_event_attr (size set) from `spec` and opens it with
/// PERF_FLAG_FD_CLOEXEC. Returns the fd, or -1 with errno set.
int bb_perf_event_open_spec(const bb_perf_event_spec *spec, pid_t pid, int cpu, int group_fd);

/// PERF_EVENT_IOC_ID: the kernel's id of an opened event (matches PERF_FORMAT_ID reads).
/// 0 or -1 with errno.
int bb_perf_event_id(int fd, uint64_t *id);

/// The calling thread's kernel thread id (gettid), which per-thread counters take as pid.
pid_t bb_gettid(void);

/// A child process created stopped before exec, so counters can be attached to it first
/// (perf stat's method). The child waits on a pipe, then execve()s.
typedef struct {
    pid_t pid;
    int go_fd;     // write end: one byte releases the child into execve
    int error_fd;  // read end: EOF when execve succeeded, else the child's errno (4 bytes)
} bb_paused_child;

/// fork()s a child that blocks until released and then runs execve(path, argv, envp).
/// `argv` and `envp` are NULL-terminated. Returns 0, or -1 with errno (pipe/fork failure).
int bb_spawn_paused(const char *path, char *const argv[], char *const envp[], bb_paused_child *child);

/// Releases the child into execve and reports whether exec worked: returns 0 when it did,
/// or the child's execve errno (the child then exits 127). Closes both pipe ends.
int bb_release_child(bb_paused_child *child);

/// Kills and reaps a paused child that will not be released (setup failed after the fork).
void bb_abandon_child(bb_paused_child *child);

/// The result of waiting for a child: wait4() status decoded, with resource usage.
typedef struct {
    int exited;        // 1 when the child exited normally
    int exit_status;   // its exit status when exited
    int signaled;      // 1 when a signal ended it
    int term_signal;   // that signal
    double user_seconds;
    double system_seconds;
    long max_rss_kib;
} bb_child_status;

/// wait4() for the child, retrying on EINTR. 0, or -1 with errno.
int bb_wait_child(pid_t pid, bb_child_status *status);

#endif
