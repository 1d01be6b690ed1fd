/// A likwid affinity domain: a named group of CPUs that pinning expressions index into.
///
/// `N` is the whole machine, `S<k>` a socket (package id k), `D<k>` the k-th die, `M<k>` NUMA
/// node k, `C<k>` the k-th last-level cache group (likwid-pin(1), "CPU EXPRESSION").
public enum AffinityDomain: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `N`: every online CPU.
    case machine
    /// `S<k>`: package k.
    case socket(Int)
    /// `D<k>`: the k-th die in (package, die) order.
    case die(Int)
    /// `M<k>`: NUMA node k.
    case memory(Int)
    /// `C<k>`: the k-th last-level cache instance.
    case cache(Int)

    /// `N`, `S0`, `D1`, `M3`, `C2`.
    public var description: String {
        switch self {
        case .machine: return "N"
        case .socket(let k): return "S\(k)"
        case .die(let k): return "D\(k)"
        case .memory(let k): return "M\(k)"
        case .cache(let k): return "C\(k)"
        }
    }

    /// Parses `N`, `S0`, `D1`, `M3`, `C2`; nil for anything else.
    public init?(_ text: Substring) {
        if text == "N" { self = .machine; return }
        guard let letter = text.first, let index = Int(text.dropFirst()), index >= 0 else { return nil }
        switch letter {
        case "S": self = .socket(index)
        case "D": self = .die(index)
        case "M": self = .memory(index)
        case "C": self = .cache(index)
        default: return nil
        }
    }

    /// The domain's CPUs in likwid's logical order: one hardware thread of every core first
    /// (cores in package, die, core order), then the second threads, and so on.
    public func cpusPhysicalFirst(in topology: Topology) throws -> [Int] {
        AffinityDomain.physicalFirst(try members(in: topology), topology: topology)
    }

    /// The domain's CPUs with each core's threads adjacent (core 0 thread 0, core 0 thread 1, …),
    /// the order likwid's `E:` expressions walk with chunk and stride.
    public func cpusThreadsAdjacent(in topology: Topology) throws -> [Int] {
        let set = Set(try members(in: topology))
        return topology.cores.flatMap { $0.cpus.filter(set.contains) }
    }

    /// The domain's CPUs, unordered semantics (ascending ids).
    func members(in topology: Topology) throws -> [Int] {
        switch self {
        case .machine:
            return topology.cpus.map(\.id)
        case .socket(let k):
            let cpus = topology.cpus.filter { $0.package == k }.map(\.id)
            guard !cpus.isEmpty else {
                throw AffinityDomainError("socket \(k) does not exist (sockets: \(CPUList.format(topology.packages)))")
            }
            return cpus
        case .die(let k):
            let dies = Array(Set(topology.cpus.map { DieKey(package: $0.package, die: $0.die) })).sorted()
            guard k < dies.count else {
                throw AffinityDomainError("die \(k) does not exist (dies: 0-\(dies.count - 1))")
            }
            return topology.cpus.filter { DieKey(package: $0.package, die: $0.die) == dies[k] }.map(\.id)
        case .memory(let k):
            guard let node = topology.node(k) else {
                throw AffinityDomainError("NUMA node \(k) does not exist (nodes: \(CPUList.format(topology.nodes.map(\.id))))")
            }
            guard !node.cpus.isEmpty else { throw AffinityDomainError("NUMA node \(k) has no CPUs") }
            return node.cpus
        case .cache(let k):
            let groups = topology.lastLevelCaches
            guard k < groups.count else {
                throw AffinityDomainError(groups.isEmpty
                    ? "cache domain C\(k) is unknown: sysfs lists no caches"
                    : "last-level cache group \(k) does not exist (groups: 0-\(groups.count - 1))")
            }
            return groups[k].cpus
        }
    }

    static func physicalFirst(_ cpus: [Int], topology: Topology) -> [Int] {
        let set = Set(cpus)
        let perCore = topology.cores.map { $0.cpus.filter(set.contains) }.filter { !$0.isEmpty }
        let depth = perCore.map(\.count).max() ?? 0
        var ordered: [Int] = []
        for thread in 0..<depth {
            for core in perCore where thread < core.count { ordered.append(core[thread]) }
        }
        return ordered
    }

    private struct DieKey: Hashable, Comparable {
        var package: Int, die: Int
        static func < (a: DieKey, b: DieKey) -> Bool { (a.package, a.die) < (b.package, b.die) }
    }
}

/// A domain that the topology does not have.
struct AffinityDomainError: Error {
    var problem: String
    init(_ problem: String) { self.problem = problem }
}
