/// Reads a `Topology` from sysfs (`devices/system/cpu` and `devices/system/node`) below a root.
///
/// Layout facts come from the kernel's Documentation/admin-guide/cputopology.rst and
/// ABI/stable/sysfs-devices-node. Missing optional files become notes, not guesses.
public struct TopologyReader: Sendable {
    /// Where sysfs is.
    public let sysfs: SysfsReader
    /// Where procfs is, for the machine-wide meminfo a one-node machine's node stands for.
    public let procfs: SysfsReader?

    /// A reader of the sysfs below `root` (`/sys` on a live machine), without procfs.
    public init(sysfsRoot root: String = "/sys") {
        self.sysfs = SysfsReader(root: root)
        self.procfs = nil
    }

    /// A reader of the tree's sysfs and procfs.
    public init(paths: SystemPaths) {
        self.sysfs = paths.sysfsReader
        self.procfs = paths.procfsReader
    }

    /// Reads the whole topology.
    public func read() throws -> Topology {
        var notes: [String] = []
        let online = try onlineCPUs(notes: &notes)
        guard !online.isEmpty else {
            throw SysfsValueError(path: sysfs.path("devices/system/cpu/online"), text: "", expected: "at least one online CPU")
        }
        let onlineSet = Set(online)
        let placement = try online.map { try cpuPlacement($0, online: onlineSet) }
        var nodes = try readNodes(online: online, notes: &notes)
        if nodes.count == 1 { nodes[0] = try machineWideMemory(for: nodes[0], notes: &notes) }
        var nodeOfCPU: [Int: Int] = [:]
        for node in nodes { for cpu in node.cpus { nodeOfCPU[cpu] = node.id } }
        let unplaced = online.filter { nodeOfCPU[$0] == nil }
        if !unplaced.isEmpty {
            notes.append("CPUs \(CPUList.format(unplaced)) are in no node's cpulist; they are counted in node \(nodes[0].id).")
        }

        // Cores: the kernel's sibling lists say which threads share a core.
        var coreKeys: [[Int]: (package: Int, die: Int, coreID: Int)] = [:]
        for item in placement {
            coreKeys[item.siblings] = (item.package, item.die, item.coreID)
        }
        let orderedCores = coreKeys.sorted { a, b in
            let x = a.value, y = b.value
            if x.package != y.package { return x.package < y.package }
            if x.die != y.die { return x.die < y.die }
            if x.coreID != y.coreID { return x.coreID < y.coreID }
            return a.key[0] < b.key[0]
        }
        let cores = orderedCores.enumerated().map { index, entry in
            CPUCore(index: index, package: entry.value.package, die: entry.value.die, coreID: entry.value.coreID, cpus: entry.key)
        }
        var coreOfCPU: [Int: Int] = [:]
        for core in cores { for cpu in core.cpus { coreOfCPU[cpu] = core.index } }

        let cpus = placement.map { item in
            LogicalCPU(id: item.id, package: item.package, die: item.die, coreID: item.coreID,
                       core: coreOfCPU[item.id]!, threadIndex: item.siblings.firstIndex(of: item.id)!,
                       node: nodeOfCPU[item.id] ?? nodes[0].id)
        }
        let caches = try readCaches(online: online, notes: &notes)
        return Topology(cpus: cpus, cores: cores, caches: caches, nodes: nodes, notes: notes)
    }

    private struct Placement {
        var id: Int, package: Int, die: Int, coreID: Int, siblings: [Int]
    }

    private func onlineCPUs(notes: inout [String]) throws -> [Int] {
        if let _ = try sysfs.stringIfPresent("devices/system/cpu/online") {
            return try sysfs.list("devices/system/cpu/online")
        }
        // Kernels without CPU hotplug lack `online`; every cpuN folder is then online.
        notes.append("devices/system/cpu/online is missing; every cpuN folder is taken as online.")
        return try sysfs.entries("devices/system/cpu").compactMap { name -> Int? in
            guard name.hasPrefix("cpu") else { return nil }
            return Int(name.dropFirst(3))
        }.sorted()
    }

    private func cpuPlacement(_ cpu: Int, online: Set<Int>) throws -> Placement {
        let base = "devices/system/cpu/cpu\(cpu)/topology"
        // physical_package_id is -1 on some ARM firmware without a socket notion: one package then.
        let package = max(0, try sysfs.integer("\(base)/physical_package_id"))
        let coreID = try sysfs.integer("\(base)/core_id")
        let die = max(0, try sysfs.integerIfPresent("\(base)/die_id") ?? 0)
        var siblings = [cpu]
        if try sysfs.stringIfPresent("\(base)/thread_siblings_list") != nil {
            siblings = try sysfs.list("\(base)/thread_siblings_list").filter { online.contains($0) }
        }
        if !siblings.contains(cpu) { siblings = [cpu] }
        return Placement(id: cpu, package: package, die: die, coreID: coreID, siblings: siblings)
    }

    private func readNodes(online: [Int], notes: inout [String]) throws -> [NUMANode] {
        let root = "devices/system/node"
        guard sysfs.exists(root) else {
            notes.append("\(sysfs.path(root)) does not exist (kernel without NUMA): one node 0 holds every CPU; its memory is unknown.")
            return [NUMANode(id: 0, cpus: online, memoryBytes: nil, freeBytes: nil, distances: [10])]
        }
        let onlineSet = Set(online)
        var ids: [Int]
        if try sysfs.stringIfPresent("\(root)/online") != nil {
            ids = try sysfs.list("\(root)/online")
        } else {
            ids = try sysfs.entries(root).compactMap { $0.hasPrefix("node") ? Int($0.dropFirst(4)) : nil }.sorted()
        }
        guard !ids.isEmpty else {
            throw SysfsValueError(path: sysfs.path("\(root)/online"), text: "", expected: "at least one online node")
        }
        return try ids.map { id in
            let dir = "\(root)/node\(id)"
            let cpus = try sysfs.list("\(dir)/cpulist").filter { onlineSet.contains($0) }
            var total: Int?, free: Int?
            if let text = try sysfs.stringIfPresent("\(dir)/meminfo") {
                let fields = MeminfoParser.parse(text)
                total = fields["MemTotal"]
                free = fields["MemFree"]
                if total == nil { notes.append("\(sysfs.path(dir + "/meminfo")) has no MemTotal line.") }
            } else {
                notes.append("\(sysfs.path(dir + "/meminfo")) is missing: node \(id) memory unknown.")
            }
            var distances: [Int] = []
            if let text = try sysfs.stringIfPresent("\(dir)/distance") {
                distances = text.split(separator: " ").compactMap { Int($0) }
                if distances.count != ids.count {
                    notes.append("node \(id) lists \(distances.count) distances for \(ids.count) nodes; distances ignored.")
                    distances = []
                }
            }
            return NUMANode(id: id, cpus: cpus, memoryBytes: total, freeBytes: free, distances: distances)
        }
    }

    // With one node every page of the machine is that node's, so /proc/meminfo is its truest
    // account. Node meminfo can lag far behind it (seen on a VM whose node MemTotal grew while
    // /proc/meminfo already showed all memory), and planning must not refuse memory that exists.
    private func machineWideMemory(for node: NUMANode, notes: inout [String]) throws -> NUMANode {
        guard let procfs, let text = try procfs.stringIfPresent("meminfo") else { return node }
        let fields = MeminfoParser.parse(text)
        guard let total = fields["MemTotal"] else { return node }
        var result = node
        if let nodeTotal = node.memoryBytes, nodeTotal < total - total / 100 {
            notes.append("node \(node.id) meminfo reports MemTotal \(ByteCount.format(nodeTotal)), /proc/meminfo \(ByteCount.format(total)); the only node is given the machine-wide figures (MemTotal, MemAvailable).")
            result.memoryBytes = total
            result.freeBytes = fields["MemAvailable"] ?? node.freeBytes
        }
        return result
    }

    private func readCaches(online: [Int], notes: inout [String]) throws -> [CacheInstance] {
        var seen = Set<CacheInstance>()
        let onlineSet = Set(online)
        for cpu in online {
            let dir = "devices/system/cpu/cpu\(cpu)/cache"
            for index in try sysfs.entriesIfPresent(dir) where index.hasPrefix("index") {
                let base = "\(dir)/\(index)"
                let level = try sysfs.integer("\(base)/level")
                let typeText = try sysfs.string("\(base)/type")
                guard let kind = CacheInstance.Kind(rawValue: typeText) else {
                    throw SysfsValueError(path: sysfs.path("\(base)/type"), text: typeText, expected: "Data, Instruction or Unified")
                }
                let size = try sysfs.stringIfPresent("\(base)/size").map { text -> Int in
                    guard let bytes = CacheSize.parse(text) else {
                        throw SysfsValueError(path: sysfs.path("\(base)/size"), text: text, expected: "a size like 32K")
                    }
                    return bytes
                }
                var shared = [cpu]
                if try sysfs.stringIfPresent("\(base)/shared_cpu_list") != nil {
                    shared = try sysfs.list("\(base)/shared_cpu_list").filter { onlineSet.contains($0) }
                }
                let line = try sysfs.integerIfPresent("\(base)/coherency_line_size")
                let ways = try sysfs.integerIfPresent("\(base)/ways_of_associativity")
                seen.insert(CacheInstance(level: level, kind: kind, sizeBytes: size, lineBytes: line, ways: ways, cpus: shared))
            }
        }
        if seen.isEmpty { notes.append("no cpuN/cache folders: cache sizes unknown.") }
        return seen.sorted { a, b in
            if a.level != b.level { return a.level < b.level }
            if a.kind != b.kind { return a.kind < b.kind }
            return (a.cpus.first ?? 0) < (b.cpus.first ?? 0)
        }
    }
}

/// Cache sizes as sysfs writes them (`48K`, `2048K`, `32M`).
enum CacheSize {
    static func parse(_ text: String) -> Int? {
        let trimmed = text.strippingWhitespace()
        guard let last = trimmed.last else { return nil }
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let unit = units[last] {
            return Int(trimmed.dropLast()).map { $0 * unit }
        }
        return Int(trimmed)
    }
}
