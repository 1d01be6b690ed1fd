import CLibNUMA
#if canImport(Glibc)
import Glibc
#endif

/// The calling thread's CPU affinity, through libnuma's sched_getaffinity / sched_setaffinity
/// wrappers with pid 0 (the calling thread).
///
/// glibc declares sched_setaffinity and CPU_SET only under _GNU_SOURCE, which Swift's Glibc
/// module is not built with; libnuma's wrappers take a sized bitmask instead and keep errno.
public enum CPUAffinity {
    /// The CPUs the calling thread may run on, ascending.
    public static func current() throws -> [Int] {
        guard let mask = numa_allocate_cpumask() else { throw SystemError.current("numa_allocate_cpumask") }
        defer { numa_bitmask_free(mask) }
        guard numa_sched_getaffinity(0, mask) >= 0 else { throw SystemError.current("sched_getaffinity") }
        let bits = Int(mask.pointee.size)
        return (0..<bits).filter { numa_bitmask_isbitset(mask, UInt32($0)) != 0 }
    }

    /// Restricts the calling thread to `cpus` (one CPU pins it).
    public static func setCurrent(_ cpus: [Int]) throws {
        guard !cpus.isEmpty else { throw SystemError("sched_setaffinity", path: "empty CPU set", errno: EINVAL) }
        guard let mask = numa_allocate_cpumask() else { throw SystemError.current("numa_allocate_cpumask") }
        defer { numa_bitmask_free(mask) }
        for cpu in cpus {
            guard cpu >= 0 && cpu < Int(mask.pointee.size) else {
                throw SystemError("sched_setaffinity", path: "CPU \(cpu)", errno: EINVAL)
            }
            numa_bitmask_setbit(mask, UInt32(cpu))
        }
        guard numa_sched_setaffinity(0, mask) == 0 else {
            throw SystemError.current("sched_setaffinity", path: "CPUs \(CPUList.format(cpus))")
        }
    }

    /// Pins the calling thread to one CPU.
    public static func pinCurrentThread(to cpu: Int) throws {
        try setCurrent([cpu])
    }
}
