/// Plans NUMA placement from a topology and a pinning plan. Pure: it allocates nothing, so it is
/// tested on recorded multi-node topologies; `PlacementExecutor` carries a plan out.
public struct PlacementPlanner: Sendable {
    /// The machine.
    public let topology: Topology
    /// The page size first-touch shares are aligned to.
    public let pageSize: Int

    /// A planner for `topology` with `pageSize`-aligned first-touch shares.
    public init(topology: Topology, pageSize: Int = 4096) {
        self.topology = topology
        self.pageSize = pageSize
    }

    /// Plans `buffers` under `layout` for the workers of `pinning`. Fails when a node named by
    /// the layout is missing or memory-less, or when planned bytes exceed a node's memory size.
    /// Free memory is recorded but not enforced: page cache counts as used there yet is reclaimable.
    public func plan(_ layout: NUMALayout, pinning: PinningPlan, buffers: [BufferRequest]) throws -> PlacementPlan {
        func fail(_ problem: String) -> NUMALayoutError { NUMALayoutError(layout: layout.description, problem: problem) }
        guard !pinning.workers.isEmpty else { throw fail("no workers to place memory for") }
        for buffer in buffers where buffer.bytes <= 0 {
            throw fail("buffer '\(buffer.name)' has \(buffer.bytes) bytes; it needs at least 1")
        }
        let memoryNodes = topology.memoryNodes.map(\.id)
        guard !memoryNodes.isEmpty else { throw fail("no NUMA node reports memory (MemTotal) in sysfs") }
        let allNodes = CPUList.format(topology.nodes.map(\.id))

        // The node whose memory each worker's first touch lands on (memory-less CPU nodes fall back).
        let homeNode = try pinning.workers.map { worker -> Int in
            guard let node = topology.nearestMemoryNode(to: worker.node) else {
                throw fail("worker \(worker.worker) on node \(worker.node) has no node with memory to use")
            }
            return node
        }

        var plans: [BufferPlan] = []
        for buffer in buffers {
            switch layout {
            case .local:
                plans.append(firstTouch(buffer, pinning: pinning, homeNode: homeNode, note: nil))
            case .interleave(let requested):
                let nodes = requested ?? memoryNodes
                for node in nodes {
                    guard let found = topology.node(node) else { throw fail("node \(node) does not exist (nodes: \(allNodes))") }
                    guard found.hasMemory else { throw fail("node \(node) has no memory") }
                }
                let replica = ReplicaPlan(policy: .interleave, nodes: nodes, slices: [])
                plans.append(BufferPlan(request: buffer, replicas: [replica],
                                        readerReplica: Array(repeating: 0, count: pinning.workers.count), note: nil))
            case .bind(let node):
                guard let found = topology.node(node) else { throw fail("node \(node) does not exist (nodes: \(allNodes))") }
                guard found.hasMemory else { throw fail("node \(node) has no memory") }
                let replica = ReplicaPlan(policy: .bind, nodes: [node], slices: [])
                plans.append(BufferPlan(request: buffer, replicas: [replica],
                                        readerReplica: Array(repeating: 0, count: pinning.workers.count), note: nil))
            case .replicate:
                if buffer.role == .kvCache {
                    plans.append(firstTouch(buffer, pinning: pinning, homeNode: homeNode,
                                            note: "the KV cache is written every token, so it is not replicated: each worker first-touches its share (local)"))
                } else {
                    let replicaNodes = Array(Set(homeNode)).sorted()
                    let replicas = replicaNodes.map { ReplicaPlan(policy: .bind, nodes: [$0], slices: []) }
                    let readers = homeNode.map { replicaNodes.firstIndex(of: $0)! }
                    plans.append(BufferPlan(request: buffer, replicas: replicas, readerReplica: readers, note: nil))
                }
            }
        }
        let perNode = try fitCheck(plans, fail: fail)
        return PlacementPlan(layout: layout, workers: pinning.workers, buffers: plans,
                             bytesPerNode: perNode, equivalence: equivalence(memoryNodes))
    }

    private func firstTouch(_ buffer: BufferRequest, pinning: PinningPlan, homeNode: [Int], note: String?) -> BufferPlan {
        let pages = (buffer.bytes + pageSize - 1) / pageSize
        let count = pinning.workers.count
        var slices: [TouchSlice] = []
        for (index, worker) in pinning.workers.enumerated() {
            // The same split as WorkerPool.parallelFor: contiguous shares, page granularity.
            let first = pages * index / count, last = pages * (index + 1) / count
            let offset = first * pageSize, end = min(buffer.bytes, last * pageSize)
            guard offset < end else { continue }
            slices.append(TouchSlice(worker: worker.worker, cpu: worker.cpu, node: homeNode[index], offset: offset, length: end - offset))
        }
        let replica = ReplicaPlan(policy: .firstTouch, nodes: Array(Set(slices.map(\.node))).sorted(), slices: slices)
        return BufferPlan(request: buffer, replicas: [replica], readerReplica: Array(repeating: 0, count: count), note: note)
    }

    private func fitCheck(_ plans: [BufferPlan], fail: (String) -> NUMALayoutError) throws -> [PlacementPlan.NodeBytes] {
        var bytes: [Int: Int] = [:]
        for plan in plans {
            for replica in plan.replicas {
                switch replica.policy {
                case .firstTouch:
                    for slice in replica.slices { bytes[slice.node, default: 0] += slice.length }
                case .bind:
                    bytes[replica.nodes[0], default: 0] += plan.request.bytes
                case .interleave:
                    // Whole pages go round-robin, so a node gets at most ceil(pages / nodes) pages.
                    let pages = (plan.request.bytes + pageSize - 1) / pageSize
                    let share = (pages + replica.nodes.count - 1) / replica.nodes.count * pageSize
                    for node in replica.nodes { bytes[node, default: 0] += min(share, plan.request.bytes) }
                }
            }
        }
        return try bytes.keys.sorted().map { node in
            let info = topology.node(node)
            if let size = info?.memoryBytes, bytes[node]! > size {
                throw fail("needs \(ByteCount.format(bytes[node]!)) on node \(node), which has \(ByteCount.format(size)) of memory")
            }
            let free = info?.freeBytes
            return PlacementPlan.NodeBytes(node: node, bytes: bytes[node]!, freeBytes: free,
                                           exceedsFreeMemory: free.map { bytes[node]! > $0 } ?? false)
        }
    }

    private func equivalence(_ memoryNodes: [Int]) -> String? {
        guard memoryNodes.count == 1, let only = memoryNodes.first else { return nil }
        return "one NUMA node with memory (node \(only)): local, interleave, bind:\(only) and replicate all put every page on node \(only), so the layouts are equivalent on this machine"
    }
}
