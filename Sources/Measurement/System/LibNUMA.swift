import CLibNUMA
#if canImport(Glibc)
import Glibc
#endif

/// libnuma's node queries and memory-policy calls, with errors that carry errno.
///
/// Every call checks `isAvailable` first: libnuma requires numa_available() >= 0 before any
/// other function (numa(3)).
public enum LibNUMA {
    /// True when the kernel supports the NUMA API (numa_available() >= 0).
    public static let isAvailable: Bool = numa_available() >= 0

    /// Why libnuma cannot be used, or nil when it can.
    public static var unavailableReason: String? {
        isAvailable ? nil : "numa_available() returned -1: the kernel has no NUMA support (CONFIG_NUMA off) or get_mempolicy is blocked"
    }

    /// Bits in the node masks we hand to the kernel. mbind and get_mempolicy refuse masks shorter
    /// than the kernel's node count, so use libnuma's largest possible node, at least 1024.
    static var nodeMaskBits: Int { max(1024, Int(numa_max_possible_node()) + 1) }

    static func requireAvailable(_ operation: String) throws {
        guard isAvailable else { throw SystemError(operation, path: "libnuma", errno: ENOSYS) }
    }

    /// The highest node number the kernel knows (numa_max_node).
    public static func maxNode() throws -> Int {
        try requireAvailable("numa_max_node")
        return Int(numa_max_node())
    }

    /// The nodes present on this machine (libnuma's numa_nodes_ptr), ascending.
    public static func nodes() throws -> [Int] {
        try requireAvailable("numa_nodes_ptr")
        let highest = Int(numa_max_node())
        guard highest >= 0 else { return [] }
        return (0...highest).filter { numa_bitmask_isbitset(numa_nodes_ptr, UInt32($0)) != 0 }
    }

    /// The CPUs of a node (numa_node_to_cpus), ascending.
    public static func cpus(ofNode node: Int) throws -> [Int] {
        try requireAvailable("numa_node_to_cpus")
        guard let mask = numa_allocate_cpumask() else { throw SystemError.current("numa_allocate_cpumask") }
        defer { numa_bitmask_free(mask) }
        errno = 0
        guard numa_node_to_cpus(Int32(node), mask) == 0 else {
            throw SystemError.current("numa_node_to_cpus", path: "node \(node)")
        }
        let bits = Int(mask.pointee.size)
        return (0..<bits).filter { numa_bitmask_isbitset(mask, UInt32($0)) != 0 }
    }

    /// A node's memory size and free memory in bytes (numa_node_size64, read from the node's meminfo).
    public static func memory(ofNode node: Int) throws -> (total: Int, free: Int) {
        try requireAvailable("numa_node_size64")
        var free: Int64 = 0
        errno = 0
        let total = numa_node_size64(Int32(node), &free)
        guard total >= 0 else { throw SystemError.current("numa_node_size64", path: "node \(node)") }
        return (Int(total), Int(free))
    }

    /// The ACPI SLIT distance between two nodes (10 = local), or nil when libnuma has none.
    public static func distance(from: Int, to: Int) throws -> Int? {
        try requireAvailable("numa_distance")
        let value = numa_distance(Int32(from), Int32(to))
        return value > 0 ? Int(value) : nil
    }

    /// Applies a memory policy to an existing page-aligned range (mbind), so pages touched later
    /// land by that policy. This is numa_tonode_memory / numa_interleave_memory with errno kept.
    public static func setPolicy(_ mode: MemoryPolicyMode, nodes: [Int],
                                 on memory: UnsafeMutableRawBufferPointer, moveExisting: Bool = false) throws {
        try requireAvailable("mbind")
        guard let base = memory.baseAddress, memory.count > 0 else {
            throw SystemError("mbind", path: "empty range", errno: EINVAL)
        }
        var mask = try nodeMask(nodes, operation: "mbind")
        // MPOL_MF_MOVE (1 << 1, numaif.h) also moves pages already touched.
        let flags: UInt32 = moveExisting ? UInt32(MPOL_MF_MOVE) : 0
        let result = mask.withUnsafeMutableBufferPointer { words in
            mbind(base, UInt(memory.count), Int32(mode.rawValue), words.baseAddress,
                  UInt(nodeMaskBits), flags)
        }
        guard result == 0 else {
            throw SystemError.current("mbind", path: "\(mode.name) nodes \(CPUList.format(nodes))")
        }
    }

    /// A node mask as the kernel reads it: bit n of word n/64 for node n.
    static func nodeMask(_ nodes: [Int], operation: String) throws -> [UInt] {
        let bits = nodeMaskBits
        var words = [UInt](repeating: 0, count: (bits + 63) / 64)
        for node in nodes {
            guard node >= 0 && node < bits else { throw SystemError(operation, path: "node \(node)", errno: EINVAL) }
            words[node / 64] |= 1 << UInt(node % 64)
        }
        return words
    }
}
