// The perf_event_open syscall has no libc wrapper and syscall() is variadic, which Swift
// cannot import; this file is the whole bridge.
#include "CPerfEvent.h"
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int bb_perf_event_open(void *attr, pid_t pid, int cpu, int group_fd, unsigned long flags) {
    return (int)syscall(SYS_perf_event_open, (struct perf_event_attr *)attr, pid, cpu, group_fd, flags);
}

uint32_t bb_perf_event_attr_size(void) { return (uint32_t)sizeof(struct perf_event_attr); }

static unsigned long group_flag(int whole_group) { return whole_group ? PERF_IOC_FLAG_GROUP : 0; }

int bb_perf_event_enable(int fd, int whole_group) { return ioctl(fd, PERF_EVENT_IOC_ENABLE, group_flag(whole_group)); }
int bb_perf_event_disable(int fd, int whole_group) { return ioctl(fd, PERF_EVENT_IOC_DISABLE, group_flag(whole_group)); }
int bb_perf_event_reset(int fd, int whole_group) { return ioctl(fd, PERF_EVENT_IOC_RESET, group_flag(whole_group)); }
