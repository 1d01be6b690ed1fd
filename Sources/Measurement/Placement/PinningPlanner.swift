/// Resolves pinning expressions against a topology into an ordered CPU list per worker.
public struct PinningPlanner: Sendable {
    /// The machine.
    public let topology: Topology

    /// A planner for `topology`.
    public init(topology: Topology) {
        self.topology = topology
    }

    /// Parses `expression` and pins `workers` threads (nil: as many as the expression selects).
    public func plan(_ expression: String, workers: Int? = nil) throws -> PinningPlan {
        try plan(PinningExpression.parse(expression), written: expression, workers: workers)
    }

    /// Pins `workers` threads by a parsed expression.
    public func plan(_ expression: PinningExpression, written: String? = nil, workers: Int? = nil) throws -> PinningPlan {
        let text = written ?? expression.description
        func fail(_ problem: String) -> PinningError { PinningError(expression: text, problem: problem) }
        let cpus: [Int]
        do {
            cpus = try orderedCPUs(expression, fail: fail)
        } catch let error as AffinityDomainError {
            throw fail(error.problem)
        }
        var seen = Set<Int>()
        for cpu in cpus where !seen.insert(cpu).inserted {
            throw fail("CPU \(cpu) is selected twice; each worker needs its own CPU")
        }
        let count = workers ?? cpus.count
        guard count > 0 else { throw fail("the number of workers must be at least 1, got \(count)") }
        guard count <= cpus.count else {
            throw fail("selects \(cpus.count) CPU\(cpus.count == 1 ? "" : "s") (\(CPUList.format(cpus))), but \(count) workers need pinning")
        }
        let pinned = cpus.prefix(count).enumerated().map { worker, id -> PinningPlan.Worker in
            let cpu = topology.cpu(id)!
            return PinningPlan.Worker(worker: worker, cpu: id, core: cpu.core, package: cpu.package, node: cpu.node)
        }
        return PinningPlan(expression: text, workers: pinned)
    }

    private func orderedCPUs(_ expression: PinningExpression, fail: (String) -> PinningError) throws -> [Int] {
        switch expression {
        case .compact:
            return try AffinityDomain.machine.cpusPhysicalFirst(in: topology)
        case .scatter:
            return scatterOrder()
        case .list(let ids):
            let offline = ids.filter { topology.cpu($0) == nil }
            guard offline.isEmpty else {
                throw fail("CPU \(CPUList.format(offline)) \(offline.count == 1 ? "is" : "are") not online (online: \(CPUList.format(topology.cpus.map(\.id))))")
            }
            return ids
        case .domains(let parts):
            return try parts.flatMap { try select($0, fail: fail) }
        }
    }

    private func select(_ part: PinningExpression.DomainSelection, fail: (String) -> PinningError) throws -> [Int] {
        switch part.pick {
        case .indices(let indices):
            let domain = try part.domain.cpusPhysicalFirst(in: topology)
            return try indices.map { index in
                guard index < domain.count else {
                    throw fail("index \(index) in '\(part)' is out of range: domain \(part.domain) has \(domain.count) CPUs (0-\(domain.count - 1))")
                }
                return domain[index]
            }
        case .every(let count, let chunk, let stride):
            let domain = try part.domain.cpusThreadsAdjacent(in: topology)
            var picked: [Int] = []
            var start = 0
            while picked.count < count && start < domain.count {
                for offset in 0..<chunk where picked.count < count && start + offset < domain.count {
                    picked.append(domain[start + offset])
                }
                start += stride
            }
            guard picked.count == count else {
                throw fail("'\(part)' asks for \(count) CPUs, but domain \(part.domain) yields only \(picked.count) with chunk \(chunk) and stride \(stride)")
            }
            return picked
        }
    }

    // Nodes in an order that alternates packages (S0's first node, S1's first node, S0's second …),
    // then CPUs taken round-robin over those nodes: all first threads of cores, then second threads.
    private func scatterOrder() -> [Int] {
        let cpuNodes = topology.nodes.filter { !$0.cpus.isEmpty }
        var byPackage: [Int: [NUMANode]] = [:]
        for node in cpuNodes {
            let package = topology.cpu(node.cpus[0])?.package ?? 0
            byPackage[package, default: []].append(node)
        }
        let packages = byPackage.keys.sorted()
        let depth = byPackage.values.map(\.count).max() ?? 0
        var nodeOrder: [NUMANode] = []
        for round in 0..<depth {
            for package in packages where round < byPackage[package]!.count { nodeOrder.append(byPackage[package]![round]) }
        }
        var ordered: [Int] = []
        for thread in 0..<topology.threadsPerCore {
            var lists = nodeOrder.map { node -> [Int] in
                let members = Set(node.cpus)
                return topology.cores.compactMap { core in
                    let mine = core.cpus.filter(members.contains)
                    return thread < mine.count ? mine[thread] : nil
                }
            }
            var position = 0
            while lists.contains(where: { !$0.isEmpty }) {
                let slot = position % lists.count
                if !lists[slot].isEmpty { ordered.append(lists[slot].removeFirst()) }
                position += 1
            }
        }
        return ordered
    }
}
