// libpfm4 headers (Debian package libpfm4-dev). Only the event-encoding API is used;
// the kernel's own perf_event.h stays inside CPerfEvent to avoid the struct clash.
#include <perfmon/pfmlib.h>
#include <perfmon/pfmlib_perf_event.h>
