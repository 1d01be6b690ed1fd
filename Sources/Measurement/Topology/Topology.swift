/// The machine's CPUs, cores, packages, caches and NUMA nodes, as the kernel reports them.
///
/// Read it with `TopologyReader` from a live sysfs or a recorded tree; the planning code
/// (pinning, NUMA layouts) works only from this value, so it is testable on any machine shape.
public struct Topology: Codable, Equatable, Sendable {
    /// Online CPUs, ascending by id.
    public var cpus: [LogicalCPU]
    /// Physical cores in (package, die, core id) order.
    public var cores: [CPUCore]
    /// Every distinct cache instance, by level, kind, then first CPU.
    public var caches: [CacheInstance]
    /// NUMA nodes, ascending by id.
    public var nodes: [NUMANode]
    /// What was missing or odd while reading (each a full sentence), e.g. no node directory.
    public var notes: [String]

    /// Makes a topology from parts (the reader and tests use this).
    public init(cpus: [LogicalCPU], cores: [CPUCore], caches: [CacheInstance], nodes: [NUMANode], notes: [String] = []) {
        self.cpus = cpus
        self.cores = cores
        self.caches = caches
        self.nodes = nodes
        self.notes = notes
    }

    /// The CPU with kernel number `id`, if online.
    public func cpu(_ id: Int) -> LogicalCPU? {
        var low = 0, high = cpus.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if cpus[mid].id == id { return cpus[mid] }
            if cpus[mid].id < id { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    /// The node with number `id`.
    public func node(_ id: Int) -> NUMANode? { nodes.first { $0.id == id } }

    /// Package (socket) numbers, ascending.
    public var packages: [Int] { Array(Set(cpus.map(\.package))).sorted() }

    /// The largest number of hardware threads on one core (1 without SMT).
    public var threadsPerCore: Int { cores.map(\.cpus.count).max() ?? 0 }

    /// Nodes that have memory, ascending.
    public var memoryNodes: [NUMANode] { nodes.filter(\.hasMemory) }

    /// The caches of the highest level, the last-level cache groups (likwid's `C` domains).
    public var lastLevelCaches: [CacheInstance] {
        guard let top = caches.map(\.level).max() else { return [] }
        return caches.filter { $0.level == top && $0.kind != .instruction }
    }

    /// The SLIT distance from node `a` to node `b`, when known.
    public func distance(from a: Int, to b: Int) -> Int? {
        guard let from = node(a), let column = nodes.firstIndex(where: { $0.id == b }),
              column < from.distances.count else { return nil }
        return from.distances[column]
    }

    /// The memory node nearest to `node`: itself if it has memory, else the one at the smallest
    /// distance (ties to the lower id). Memory-less CPU nodes read their replica from there.
    public func nearestMemoryNode(to node: Int) -> Int? {
        let candidates = memoryNodes.map(\.id)
        if candidates.contains(node) { return node }
        return candidates.min { a, b in
            let da = distance(from: node, to: a) ?? Int.max, db = distance(from: node, to: b) ?? Int.max
            return da != db ? da < db : a < b
        }
    }
}
