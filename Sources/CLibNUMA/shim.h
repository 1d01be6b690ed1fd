// libnuma headers (Debian package libnuma-dev): node discovery, placement and page queries.
#include <numa.h>
#include <numaif.h>
