/// libnuma's view of the nodes beside the sysfs topology, and every point where they disagree.
///
/// libnuma reads the same sysfs files, so disagreement means a cpuset restriction, a hot-plug
/// between the two reads, or a kernel quirk; either way the record should show it. Memory sizes
/// are not compared: both read the node's meminfo, which changes between reads.
public struct NUMACrossCheck: Codable, Equatable, Sendable {
    /// One node as libnuma reports it.
    public struct Node: Codable, Equatable, Sendable {
        /// Node number.
        public var id: Int
        /// numa_node_to_cpus, ascending.
        public var cpus: [Int]
        /// numa_node_size64 total, bytes.
        public var memoryBytes: Int
        /// numa_node_size64 free, bytes.
        public var freeBytes: Int
    }

    /// Whether libnuma could be asked.
    public var libnuma: Availability
    /// libnuma's nodes (empty when unavailable).
    public var nodes: [Node]
    /// Differences from the sysfs topology, one sentence each; empty when they agree.
    public var disagreements: [String]

    /// Asks libnuma (live machine only) and compares with `topology`.
    public static func run(against topology: Topology) -> NUMACrossCheck {
        if let reason = LibNUMA.unavailableReason {
            return NUMACrossCheck(libnuma: .unavailable(reason), nodes: [], disagreements: [])
        }
        var nodes: [Node] = []
        var disagreements: [String] = []
        do {
            for id in try LibNUMA.nodes() {
                let memory = try LibNUMA.memory(ofNode: id)
                let cpus = try LibNUMA.cpus(ofNode: id).filter { topology.cpu($0) != nil }
                nodes.append(Node(id: id, cpus: cpus, memoryBytes: memory.total, freeBytes: memory.free))
            }
        } catch {
            return NUMACrossCheck(libnuma: .unavailable("\(error)"), nodes: nodes, disagreements: [])
        }
        let sysfsIDs = topology.nodes.map(\.id), libnumaIDs = nodes.map(\.id)
        if sysfsIDs != libnumaIDs {
            disagreements.append("sysfs lists nodes \(CPUList.format(sysfsIDs)), libnuma \(CPUList.format(libnumaIDs)).")
        }
        for node in nodes {
            guard let sysfsNode = topology.node(node.id) else { continue }
            if sysfsNode.cpus != node.cpus {
                disagreements.append("node \(node.id): sysfs CPUs \(CPUList.format(sysfsNode.cpus)), libnuma \(CPUList.format(node.cpus)).")
            }
        }
        return NUMACrossCheck(libnuma: .available("numa_available() = 0, numa_max_node() = \((try? LibNUMA.maxNode()) ?? -1)"),
                              nodes: nodes, disagreements: disagreements)
    }
}
