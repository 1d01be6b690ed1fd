/// The planned placement of every buffer under one NUMA layout: which node each copy goes to,
/// which worker first-touches which bytes, and which copy each worker reads.
public struct PlacementPlan: Codable, Equatable, Sendable {
    /// The layout this plan realises.
    public var layout: NUMALayout
    /// The pinned workers the plan was made for.
    public var workers: [PinningPlan.Worker]
    /// One entry per requested buffer, in request order.
    public var buffers: [BufferPlan]
    /// Planned bytes per memory node, ascending by node, for the fit check.
    public var bytesPerNode: [NodeBytes]
    /// Set when the layouts cannot differ on this machine (one memory node), saying why.
    public var equivalence: String?

    /// Bytes planned on one node.
    public struct NodeBytes: Codable, Equatable, Sendable {
        /// Node number.
        public var node: Int
        /// Bytes planned there.
        public var bytes: Int
        /// The node's free memory when planned, if known.
        public var freeBytes: Int?
        /// True when `bytes` exceeds `freeBytes`: it fits only if the kernel reclaims page cache.
        public var exceedsFreeMemory: Bool
    }
}

/// One buffer's copies and readers.
public struct BufferPlan: Codable, Equatable, Sendable {
    /// The request it answers.
    public var request: BufferRequest
    /// One copy, or one per node under `replicate` for weights.
    public var replicas: [ReplicaPlan]
    /// For each worker (by index), the replica it reads.
    public var readerReplica: [Int]
    /// Why this buffer departs from the layout, if it does (the KV cache under `replicate`).
    public var note: String?
}

/// How one copy of a buffer is placed.
public struct ReplicaPlan: Codable, Equatable, Sendable {
    /// The placement mechanism.
    public enum Policy: String, Codable, Sendable {
        /// No policy; `slices` say which pinned worker touches which bytes first.
        case firstTouch = "first-touch"
        /// Bound to `nodes[0]` (mbind MPOL_BIND via numa_alloc_onnode).
        case bind
        /// Interleaved over `nodes` (MPOL_INTERLEAVE via numa_alloc_interleaved_subset).
        case interleave
    }

    /// The mechanism.
    public var policy: Policy
    /// The nodes pages must land on (for first touch: the union of the slices' nodes).
    public var nodes: [Int]
    /// First-touch shares, page-aligned and contiguous (empty unless `policy == .firstTouch`).
    public var slices: [TouchSlice]
}

/// The bytes one pinned worker touches first, and the node they should land on.
public struct TouchSlice: Codable, Equatable, Sendable {
    /// The worker that touches them.
    public var worker: Int
    /// Its CPU.
    public var cpu: Int
    /// The node its pages should land on (the worker's node, or the nearest node with memory).
    public var node: Int
    /// First byte, a multiple of the page size.
    public var offset: Int
    /// Byte count.
    public var length: Int
}
