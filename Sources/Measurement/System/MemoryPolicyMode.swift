import CLibNUMA

/// A Linux memory policy mode (set_mempolicy(2), values from <numaif.h>).
public enum MemoryPolicyMode: Int, Codable, Sendable, CaseIterable {
    /// MPOL_DEFAULT: the thread's policy, normally first touch on the local node.
    case `default` = 0
    /// MPOL_PREFERRED: try one node, fall back to others.
    case preferred = 1
    /// MPOL_BIND: only the given nodes.
    case bind = 2
    /// MPOL_INTERLEAVE: pages round-robin over the given nodes.
    case interleave = 3
    /// MPOL_LOCAL: the node of the CPU that touches the page.
    case local = 4
    /// MPOL_PREFERRED_MANY: try a set of nodes, then fall back.
    case preferredMany = 5
    /// MPOL_WEIGHTED_INTERLEAVE (Linux 6.9): interleave with per-node weights.
    case weightedInterleave = 6

    /// The name numactl and the kernel documentation use.
    public var name: String {
        switch self {
        case .default: return "default"
        case .preferred: return "preferred"
        case .bind: return "bind"
        case .interleave: return "interleave"
        case .local: return "local"
        case .preferredMany: return "preferred-many"
        case .weightedInterleave: return "weighted-interleave"
        }
    }

    /// The mode from a get_mempolicy result, whose high bits may carry MPOL_F_STATIC_NODES,
    /// MPOL_F_RELATIVE_NODES or MPOL_F_NUMA_BALANCING (bits 13 to 15, <linux/mempolicy.h>).
    init?(kernelValue: Int32) {
        self.init(rawValue: Int(kernelValue) & 0x1FFF)
    }
}
