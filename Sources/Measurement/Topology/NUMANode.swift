/// A NUMA node: its CPUs, memory, and distances to the other nodes (`/sys/devices/system/node/nodeN`).
public struct NUMANode: Codable, Equatable, Hashable, Sendable {
    /// The node number.
    public var id: Int
    /// Its online CPUs, ascending (empty for a memory-only node).
    public var cpus: [Int]
    /// `MemTotal` of the node's meminfo in bytes, or nil when unreadable.
    public var memoryBytes: Int?
    /// `MemFree` of the node's meminfo in bytes, or nil when unreadable.
    public var freeBytes: Int?
    /// SLIT distances to every node, in the order of `Topology.nodes` (10 = local).
    public var distances: [Int]

    /// True when the node has memory to place pages on.
    public var hasMemory: Bool { (memoryBytes ?? 0) > 0 }
}
