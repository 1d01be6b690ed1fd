/// NUMA nodes with their CPUs and memory, from libnuma on the live machine (sysfs otherwise),
/// with libnuma's view checked against sysfs.
public struct NUMASection: SystemInfoSection {
    public static let key = "numa"
    public static let title = "NUMA"

    /// One node.
    public struct Node: Codable, Equatable, Sendable {
        /// Node number.
        public var id: Int
        /// Its CPUs as a kernel list (empty for memory-only nodes).
        public var cpus: String
        /// Memory size in bytes.
        public var memoryBytes: Int?
        /// Free memory in bytes.
        public var freeBytes: Int?
        /// Distances to every node, in node order.
        public var distances: [Int]
    }

    /// Number of nodes.
    public var nodeCount: Known<Int>
    /// The nodes.
    public var nodes: [Node]
    /// `libnuma` or `sysfs`: where `nodes` came from.
    public var source: String
    /// Whether libnuma could be asked.
    public var libnuma: Availability
    /// Where libnuma and sysfs disagree.
    public var disagreements: [String]

    public static func collect(_ context: SystemInfoContext) -> NUMASection {
        guard case .success(let topology) = context.topology else {
            let reason: String
            if case .failure(let error) = context.topology { reason = error.description } else { reason = "" }
            return NUMASection(nodeCount: .unknown(reason), nodes: [], source: "sysfs",
                               libnuma: context.isLive ? .unavailable("not asked: the sysfs topology is unreadable") : .unavailable(SystemInfoContext.recordedTreeReason),
                               disagreements: [])
        }
        let sysfsNodes = topology.nodes.map {
            Node(id: $0.id, cpus: CPUList.format($0.cpus), memoryBytes: $0.memoryBytes, freeBytes: $0.freeBytes, distances: $0.distances)
        }
        guard context.isLive else {
            return NUMASection(nodeCount: .known(sysfsNodes.count), nodes: sysfsNodes, source: "sysfs",
                               libnuma: .unavailable(SystemInfoContext.recordedTreeReason), disagreements: [])
        }
        let check = NUMACrossCheck.run(against: topology)
        guard check.libnuma.isAvailable else {
            return NUMASection(nodeCount: .known(sysfsNodes.count), nodes: sysfsNodes, source: "sysfs",
                               libnuma: check.libnuma, disagreements: check.disagreements)
        }
        let nodes = check.nodes.map { node in
            Node(id: node.id, cpus: CPUList.format(node.cpus), memoryBytes: node.memoryBytes, freeBytes: node.freeBytes,
                 distances: topology.node(node.id)?.distances ?? [])
        }
        return NUMASection(nodeCount: .known(nodes.count), nodes: nodes, source: "libnuma",
                           libnuma: check.libnuma, disagreements: check.disagreements)
    }

    public var textLines: [SystemInfoLine] {
        var lines = [SystemInfoLine("nodes", nodeCount.text { "\($0) (from \(source))" })]
        for node in nodes {
            let memory = node.memoryBytes.map { ByteCount.format($0) } ?? "unknown"
            let free = node.freeBytes.map { ", \(ByteCount.format($0)) free" } ?? ""
            let distances = node.distances.isEmpty ? "" : ", distances \(node.distances.map(String.init).joined(separator: " "))"
            lines.append(SystemInfoLine("node \(node.id)", "CPUs \(node.cpus.isEmpty ? "none" : node.cpus), memory \(memory)\(free)\(distances)"))
        }
        lines.append(SystemInfoLine("libnuma", libnuma.description))
        for item in disagreements { lines.append(SystemInfoLine("disagreement", item)) }
        return lines
    }
}
