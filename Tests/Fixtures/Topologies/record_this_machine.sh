#!/usr/bin/env bash
# Records the sysfs/procfs files BitBench reads from the running machine into ./<name>/,
# keeping the kernel's paths (sys/..., proc/...). Usage: ./record_this_machine.sh <name>
set -euo pipefail
name="${1:?usage: record_this_machine.sh <fixture-name>}"
out="$(cd "$(dirname "$0")" && pwd)/$name"
rm -rf "$out"
copy() { # copy a file if it exists and is readable
    local src="$1"
    [ -r "$src" ] || return 0
    mkdir -p "$out$(dirname "$src")"
    cat "$src" > "$out$src" 2>/dev/null || rm -f "$out$src"
}
for f in /sys/devices/system/cpu/{online,possible,present}; do copy "$f"; done
for cpu in /sys/devices/system/cpu/cpu[0-9]*; do
    for f in physical_package_id die_id core_id thread_siblings_list; do copy "$cpu/topology/$f"; done
    for idx in "$cpu"/cache/index*; do
        [ -d "$idx" ] || continue
        for f in level type size coherency_line_size shared_cpu_list; do copy "$idx/$f"; done
    done
    for f in scaling_governor scaling_driver; do copy "$cpu/cpufreq/$f"; done
done
for f in /sys/devices/system/node/{online,possible,has_cpu,has_memory,has_normal_memory}; do copy "$f"; done
for node in /sys/devices/system/node/node[0-9]*; do
    for f in cpulist distance meminfo; do copy "$node/$f"; done
done
for pmu in /sys/bus/event_source/devices/*; do
    copy "$pmu/type"
    copy "$pmu/cpumask"
    for f in "$pmu"/events/energy-* "$pmu"/format/event; do [ -f "$f" ] && copy "$f"; done
done
for f in /sys/kernel/mm/transparent_hugepage/{enabled,defrag}; do copy "$f"; done
for f in /proc/{cpuinfo,meminfo} /proc/sys/kernel/{osrelease,version,perf_event_paranoid}; do copy "$f"; done
# Node meminfo carries only the lines BitBench reads, to keep the fixture small.
for m in "$out"/sys/devices/system/node/node*/meminfo; do
    grep -E "MemTotal|MemFree|MemUsed" "$m" > "$m.tmp" && mv "$m.tmp" "$m"
done
echo "recorded into $out"
