// The perf_event_open syscall has no libc wrapper and syscall() is variadic, which Swift
// cannot import; this file is the whole bridge.
#include "CPerfEvent.h"
#include <linux/perf_event.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(BB_PERF_TYPE_HARDWARE == PERF_TYPE_HARDWARE, "perf type");
_Static_assert(BB_PERF_TYPE_SOFTWARE == PERF_TYPE_SOFTWARE, "perf type");
_Static_assert(BB_PERF_TYPE_TRACEPOINT == PERF_TYPE_TRACEPOINT, "perf type");
_Static_assert(BB_PERF_TYPE_HW_CACHE == PERF_TYPE_HW_CACHE, "perf type");
_Static_assert(BB_PERF_TYPE_RAW == PERF_TYPE_RAW, "perf type");
_Static_assert(BB_PERF_TYPE_BREAKPOINT == PERF_TYPE_BREAKPOINT, "perf type");
_Static_assert(BB_PERF_FORMAT_TOTAL_TIME_ENABLED == PERF_FORMAT_TOTAL_TIME_ENABLED, "read format");
_Static_assert(BB_PERF_FORMAT_TOTAL_TIME_RUNNING == PERF_FORMAT_TOTAL_TIME_RUNNING, "read format");
_Static_assert(BB_PERF_FORMAT_ID == PERF_FORMAT_ID, "read format");
_Static_assert(BB_PERF_FORMAT_GROUP == PERF_FORMAT_GROUP, "read format");
_Static_assert(BB_PERF_FLAG_FD_CLOEXEC == PERF_FLAG_FD_CLOEXEC, "open flag");

int bb_perf_event_open(void *attr, pid_t pid, int cpu, int group_fd, unsigned long flags) {
    return (int)syscall(SYS_perf_event_open, (struct perf_event_attr *)attr, pid, cpu, group_fd, flags);
}

uint32_t bb_perf_event_attr_size(void) { return (uint32_t)sizeof(struct perf_event_attr); }

static unsigned long group_flag(int whole_group) { return whole_group ? PERF_IOC_FLAG_GROUP : 0; }

int bb_perf_event_enable(int fd, int whole_group) { return ioctl(fd, PERF_EVENT_IOC_ENABLE, group_flag(whole_group)); }
int bb_perf_event_disable(int fd, int whole_group) { return ioctl(fd, PERF_EVENT_IOC_DISABLE, group_flag(whole_group)); }
int bb_perf_event_reset(int fd, int whole_group) { return ioctl(fd, PERF_EVENT_IOC_RESET, group_flag(whole_group)); }

int bb_perf_event_open_spec(const bb_perf_event_spec *spec, pid_t pid, int cpu, int group_fd) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = spec->type;
    attr.config = spec->config;
    attr.config1 = spec->config1;
    attr.config2 = spec->config2;
    attr.read_format = spec->read_format;
    attr.disabled = spec->disabled ? 1 : 0;
    attr.inherit = spec->inherit ? 1 : 0;
    attr.enable_on_exec = spec->enable_on_exec ? 1 : 0;
    attr.exclude_user = spec->exclude_user ? 1 : 0;
    attr.exclude_kernel = spec->exclude_kernel ? 1 : 0;
    attr.exclude_hv = spec->exclude_hv ? 1 : 0;
    attr.exclude_idle = spec->exclude_idle ? 1 : 0;
    attr.exclude_guest = spec->exclude_guest ? 1 : 0;
    return (int)syscall(SYS_perf_event_open, &attr, pid, cpu, group_fd, (unsigned long)PERF_FLAG_FD_CLOEXEC);
}

int bb_perf_event_id(int fd, uint64_t *id) { return ioctl(fd, PERF_EVENT_IOC_ID, id); }

pid_t bb_gettid(void) { return (pid_t)syscall(SYS_gettid); }
