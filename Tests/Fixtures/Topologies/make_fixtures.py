#!/usr/bin/env python3
"""Writes the modelled sysfs/procfs trees of multi-node machines used by the topology,
pinning and placement tests. Each tree follows the kernel's file layout
(Documentation/admin-guide/cputopology.rst, ABI/stable/sysfs-devices-node,
ABI/testing/sysfs-devices-system-cpu) for a published machine shape; see README.md.

Run from this folder: python3 make_fixtures.py  (rewrites the modelled trees only).
"""
import os
import shutil


def cpulist(ids):
    ids = sorted(set(ids))
    parts, i = [], 0
    while i < len(ids):
        j = i
        while j + 1 < len(ids) and ids[j + 1] == ids[j] + 1:
            j += 1
        parts.append(str(ids[i]) if i == j else f"{ids[i]}-{ids[j]}")
        i = j + 1
    return ",".join(parts)


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text if text.endswith("\n") else text + "\n")


def build(name, m):
    """m: dict describing the machine; cpus is a list of dicts with id, package, die, core_id,
    siblings, node, caches (list of (level, type, size_k, line, shared list))."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    shutil.rmtree(root, ignore_errors=True)
    sysfs = "sys/devices/system"
    all_ids = [c["id"] for c in m["cpus"]]
    for f in ("online", "possible", "present"):
        write(root, f"{sysfs}/cpu/{f}", cpulist(all_ids))
    for c in m["cpus"]:
        base = f"{sysfs}/cpu/cpu{c['id']}"
        write(root, f"{base}/topology/physical_package_id", str(c["package"]))
        write(root, f"{base}/topology/die_id", str(c["die"]))
        write(root, f"{base}/topology/core_id", str(c["core_id"]))
        write(root, f"{base}/topology/thread_siblings_list", cpulist(c["siblings"]))
        for index, (level, kind, size_k, line, shared) in enumerate(c["caches"]):
            cb = f"{base}/cache/index{index}"
            write(root, f"{cb}/level", str(level))
            write(root, f"{cb}/type", kind)
            write(root, f"{cb}/size", f"{size_k}K")
            write(root, f"{cb}/coherency_line_size", str(line))
            write(root, f"{cb}/shared_cpu_list", cpulist(shared))
        if m.get("governor"):
            write(root, f"{base}/cpufreq/scaling_governor", m["governor"])
            write(root, f"{base}/cpufreq/scaling_driver", m["driver"])
    nodes = m["nodes"]
    ids = sorted(nodes)
    write(root, f"{sysfs}/node/online", cpulist(ids))
    write(root, f"{sysfs}/node/possible", cpulist(ids))
    write(root, f"{sysfs}/node/has_cpu", cpulist([n for n in ids if nodes[n]["cpus"]]))
    write(root, f"{sysfs}/node/has_memory", cpulist([n for n in ids if nodes[n]["mem_kb"]]))
    write(root, f"{sysfs}/node/has_normal_memory", cpulist([n for n in ids if nodes[n]["mem_kb"]]))
    for n in ids:
        node = nodes[n]
        nb = f"{sysfs}/node/node{n}"
        write(root, f"{nb}/cpulist", cpulist(node["cpus"]))
        write(root, f"{nb}/distance", " ".join(str(d) for d in node["distances"]))
        used = node["mem_kb"] - node["free_kb"]
        write(root, f"{nb}/meminfo",
              f"Node {n} MemTotal:       {node['mem_kb']:>9} kB\n"
              f"Node {n} MemFree:        {node['free_kb']:>9} kB\n"
              f"Node {n} MemUsed:        {used:>9} kB\n")
    # Machine-wide files read by sysinfo.
    total_kb = sum(nodes[n]["mem_kb"] for n in ids)
    free_kb = sum(nodes[n]["free_kb"] for n in ids)
    write(root, "proc/meminfo",
          f"MemTotal:       {total_kb} kB\nMemFree:        {free_kb} kB\n"
          f"MemAvailable:   {free_kb + total_kb // 50} kB\n"
          f"HugePages_Total:       {m['hugepages']}\nHugePages_Free:        {m['hugepages']}\n"
          "HugePages_Rsvd:        0\nHugePages_Surp:        0\nHugepagesize:       2048 kB\n")
    cpuinfo = []
    for c in m["cpus"]:
        cpuinfo.append(m["cpuinfo"](c) + "\n")
    write(root, "proc/cpuinfo", "\n".join(cpuinfo))
    write(root, "proc/sys/kernel/osrelease", m["osrelease"])
    write(root, "proc/sys/kernel/version", m["kversion"])
    write(root, "proc/sys/kernel/perf_event_paranoid", str(m["paranoid"]))
    write(root, "sys/kernel/mm/transparent_hugepage/enabled", m["thp"])
    write(root, "sys/kernel/mm/transparent_hugepage/defrag", "always defer [defer+madvise] madvise never")
    for pmu, info in m["pmus"].items():
        pb = f"sys/bus/event_source/devices/{pmu}"
        write(root, f"{pb}/type", str(info["type"]))
        for event, config in info.get("events", {}).items():
            write(root, f"{pb}/events/{event}", config)
            write(root, f"{pb}/events/{event}.scale", "2.3283064365386962890625e-10")
            write(root, f"{pb}/events/{event}.unit", "Joules")
        if "events" in info:
            write(root, f"{pb}/format/event", "config:0-7")
            write(root, f"{pb}/cpumask", info["cpumask"])
    for zone, (zname, energy) in m.get("powercap", {}).items():
        zb = f"sys/class/powercap/{zone}"
        write(root, f"{zb}/name", zname)
        write(root, f"{zb}/energy_uj", str(energy))
        write(root, f"{zb}/max_energy_range_uj", "262143328850")


def x86_cpuinfo(vendor, model_name, family, model, stepping, flags, siblings, cores):
    def render(c):
        return (f"processor\t: {c['id']}\nvendor_id\t: {vendor}\ncpu family\t: {family}\n"
                f"model\t\t: {model}\nmodel name\t: {model_name}\nstepping\t: {stepping}\n"
                f"physical id\t: {c['package']}\nsiblings\t: {siblings}\ncore id\t\t: {c['core_id']}\n"
                f"cpu cores\t: {cores}\nflags\t\t: {flags}")
    return render


X86_BASE = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr "
            "sse sse2 ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid pni "
            "pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand "
            "lahf_lm abm bmi1 avx2 bmi2")


def machine(packages, cores_per_package, smt, core_ids, node_of_core, caches_of, node_defs, **rest):
    """CPU numbering as Linux enumerates x86 servers: all first threads (package by package),
    then all second threads."""
    per_thread = packages * cores_per_package
    cpus = []
    for t in range(smt):
        for p in range(packages):
            for k in range(cores_per_package):
                cid = t * per_thread + p * cores_per_package + k
                siblings = [s * per_thread + p * cores_per_package + k for s in range(smt)]
                cpus.append(dict(id=cid, package=p, die=rest.get("die_of", lambda p, k: 0)(p, k),
                                 core_id=core_ids[k], siblings=siblings, node=node_of_core(p, k), k=k, p=p))
    for c in cpus:
        c["caches"] = caches_of(c, cpus)
    nodes = {}
    for n, spec in node_defs.items():
        nodes[n] = dict(cpus=[c["id"] for c in cpus if c["node"] == n], **spec)
    return dict(cpus=sorted(cpus, key=lambda c: c["id"]), nodes=nodes, **{k: v for k, v in rest.items() if k != "die_of"})


def group(cpus, pred):
    return [c["id"] for c in cpus if pred(c)]


# A: two Xeon Gold 6130 (Skylake-SP, 16 cores, SMT2) with sub-NUMA clustering (SNC2):
# 2 sockets x 2 nodes x 8 cores. Skylake-SP core ids skip numbers (disabled mesh tiles).
xeon_core_ids = [0, 1, 2, 3, 4, 8, 9, 10, 11, 16, 17, 18, 19, 20, 24, 25]
def xeon_caches(c, cpus):
    core = c["siblings"]
    socket = group(cpus, lambda o: o["p"] == c["p"])
    return [(1, "Data", 32, 64, core), (1, "Instruction", 32, 64, core),
            (2, "Unified", 1024, 64, core), (3, "Unified", 22528, 64, socket)]
xeon_dist = {0: [10, 11, 21, 21], 1: [11, 10, 21, 21], 2: [21, 21, 10, 11], 3: [21, 21, 11, 10]}
xeon = machine(
    2, 16, 2, xeon_core_ids, lambda p, k: p * 2 + (k // 8), xeon_caches,
    {n: dict(mem_kb=48 * 1024 * 1024, free_kb=45 * 1024 * 1024, distances=xeon_dist[n]) for n in range(4)},
    governor="powersave", driver="intel_pstate", hugepages=0, osrelease="5.15.0-91-generic",
    kversion="#101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023", paranoid=2, thp="[always] madvise never",
    pmus={"cpu": {"type": 4}, "software": {"type": 1}, "tracepoint": {"type": 2}, "msr": {"type": 10},
          "power": {"type": 21, "cpumask": "0,16",
                    "events": {"energy-cores": "event=0x01", "energy-pkg": "event=0x02", "energy-ram": "event=0x03"}}},
    powercap={"intel-rapl:0": ("package-0", 31234567890), "intel-rapl:0:0": ("dram", 4234567890),
              "intel-rapl:1": ("package-1", 30234567890), "intel-rapl:1:0": ("dram", 4134567890)},
    cpuinfo=x86_cpuinfo("GenuineIntel", "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz", 6, 85, 4,
                        X86_BASE + " avx512f avx512dq avx512cd avx512bw avx512vl", 32, 16),
)

# B: two AMD EPYC 7302 (Zen 2, 16 cores, SMT2) in NPS4 mode: 2 sockets x 4 nodes x 4 cores.
# Two cores per CCX share a 16 MiB L3; core ids are those of the enabled CCX slots.
epyc2_core_ids = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29]
def epyc2_caches(c, cpus):
    core = c["siblings"]
    ccx = group(cpus, lambda o: o["p"] == c["p"] and o["k"] // 2 == c["k"] // 2)
    return [(1, "Data", 32, 64, core), (1, "Instruction", 32, 64, core),
            (2, "Unified", 512, 64, core), (3, "Unified", 16384, 64, ccx)]
def epyc2_distance(a, b):
    return 10 if a == b else (12 if a // 4 == b // 4 else 32)
epyc2 = machine(
    2, 16, 2, epyc2_core_ids, lambda p, k: p * 4 + k // 4, epyc2_caches,
    {n: dict(mem_kb=32 * 1024 * 1024, free_kb=30 * 1024 * 1024,
             distances=[epyc2_distance(n, m) for m in range(8)]) for n in range(8)},
    governor="performance", driver="acpi-cpufreq", hugepages=1024, osrelease="6.8.0-45-generic",
    kversion="#45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024", paranoid=4,
    thp="always [madvise] never",
    pmus={"cpu": {"type": 4}, "software": {"type": 1}, "tracepoint": {"type": 2}, "amd_df": {"type": 11},
          "amd_l3": {"type": 12}, "power": {"type": 13, "cpumask": "0,16", "events": {"energy-pkg": "event=0x02"}}},
    powercap={"intel-rapl:0": ("package-0", 51234567890), "intel-rapl:1": ("package-1", 50234567890)},
    cpuinfo=x86_cpuinfo("AuthenticAMD", "AMD EPYC 7302 16-Core Processor", 23, 49, 0, X86_BASE, 32, 16),
)

# C: one AMD EPYC 7401P (Zen 1, 24 cores, SMT2): 4 dies, each its own NUMA node of 6 cores
# (2 CCX x 3 cores, 8 MiB L3 per CCX). Node 3's memory channels are unpopulated: a CPU-only node.
epyc1_core_ids = [d * 8 + x * 4 + j for d in range(4) for x in range(2) for j in range(3)]
def epyc1_caches(c, cpus):
    core = c["siblings"]
    ccx = group(cpus, lambda o: o["k"] // 3 == c["k"] // 3)
    return [(1, "Data", 32, 64, core), (1, "Instruction", 64, 64, core),
            (2, "Unified", 512, 64, core), (3, "Unified", 8192, 64, ccx)]
epyc1_mem = {0: 32, 1: 32, 2: 32, 3: 0}
epyc1 = machine(
    1, 24, 2, epyc1_core_ids, lambda p, k: k // 6, epyc1_caches,
    {n: dict(mem_kb=epyc1_mem[n] * 1024 * 1024, free_kb=max(0, epyc1_mem[n] - 2) * 1024 * 1024,
             distances=[10 if n == m else 16 for m in range(4)]) for n in range(4)},
    die_of=lambda p, k: k // 6,
    governor="schedutil", driver="acpi-cpufreq", hugepages=0, osrelease="5.10.0-28-amd64",
    kversion="#1 SMP Debian 5.10.209-2 (2024-01-31)", paranoid=3, thp="always [madvise] never",
    pmus={"cpu": {"type": 4}, "software": {"type": 1}, "tracepoint": {"type": 2}},
    powercap={},
    cpuinfo=x86_cpuinfo("AuthenticAMD", "AMD EPYC 7401P 24-Core Processor", 23, 1, 2, X86_BASE, 48, 24),
)

# D: a 4-core Arm Neoverse-N1 VM slice (one node): NEON and dotprod via the Features line.
def arm_caches(c, cpus):
    return [(1, "Data", 64, 64, [c["id"]]), (1, "Instruction", 64, 64, [c["id"]]), (2, "Unified", 1024, 64, [c["id"]])]
arm = machine(
    1, 4, 1, [0, 1, 2, 3], lambda p, k: 0, arm_caches,
    {0: dict(mem_kb=16 * 1024 * 1024, free_kb=15 * 1024 * 1024, distances=[10])},
    governor=None, driver=None, hugepages=0, osrelease="6.1.0-13-cloud-arm64",
    kversion="#1 SMP Debian 6.1.55-1 (2023-09-29)", paranoid=2, thp="always [madvise] never",
    pmus={"armv8_pmuv3_0": {"type": 8}, "software": {"type": 1}, "tracepoint": {"type": 2}},
    powercap={},
    cpuinfo=lambda c: (f"processor\t: {c['id']}\nBogoMIPS\t: 243.75\n"
                       "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid "
                       "asimdrdm lrcpc dcpop asimddp ssbs\nCPU implementer\t: 0x41\nCPU architecture: 8\n"
                       "CPU variant\t: 0x3\nCPU part\t: 0xd0c\nCPU revision\t: 1"),
)

if __name__ == "__main__":
    build("xeon-2s-snc2-16c-smt2", xeon)
    build("epyc-2s-nps4-16c-smt2", epyc2)
    build("epyc-1s-4node-24c-smt2", epyc1)
    build("arm-neoverse-n1-4c", arm)
