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

#endif
