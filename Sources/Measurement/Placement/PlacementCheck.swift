/// Checks a placed buffer against its plan by asking the kernel where sampled pages are
/// (move_pages with no target nodes) and which policy covers each copy (get_mempolicy).
public enum PlacementCheck {
    /// Checks every replica of `buffer`, querying at most `sampleLimit` pages per replica.
    public static func run(_ buffer: PlacedBuffer, layout: NUMALayout, equivalence: String? = nil,
                           sampleLimit: Int = 4096) throws -> PlacementReport {
        let page = PageLocator.pageSize
        var checks: [PlacementReport.ReplicaCheck] = []
        for (index, replica) in buffer.plan.replicas.enumerated() {
            let allocation = buffer.replicas[index]
            let pages = (allocation.byteCount + page - 1) / page
            // Each sampled page with the nodes it may be on.
            var samples: [(page: Int, allowed: Set<Int>)] = []
            switch replica.policy {
            case .firstTouch:
                let perSlice = max(1, sampleLimit / max(1, replica.slices.count))
                for slice in replica.slices {
                    let first = slice.offset / page, count = (slice.length + page - 1) / page
                    for pageIndex in sample(count: count, limit: perSlice, seed: UInt64(index * 1_000 + slice.worker)) {
                        samples.append((first + pageIndex, [slice.node]))
                    }
                }
            case .bind, .interleave:
                let allowed = Set(replica.nodes)
                samples = sample(count: pages, limit: sampleLimit, seed: UInt64(index)).map { ($0, allowed) }
            }
            let addresses = samples.map { UnsafeRawPointer(allocation.base + $0.page * page) }
            let statuses = try PageLocator.status(of: addresses)
            var byNode: [Int: Int] = [:], notPresent = 0, misplaced = 0
            var errors: [Int32: Int] = [:]
            for (sampleItem, status) in zip(samples, statuses) {
                switch status {
                case .node(let node):
                    byNode[node, default: 0] += 1
                    if !sampleItem.allowed.contains(node) { misplaced += 1 }
                case .notPresent: notPresent += 1
                case .error(let code): errors[code, default: 0] += 1
                }
            }
            // Only meaningful with enough samples that every node should have been hit.
            var unused: [Int] = []
            if replica.policy == .interleave && samples.count >= 4 * replica.nodes.count {
                unused = replica.nodes.filter { byNode[$0] == nil }
            }
            let policy = try PageLocator.policy(at: allocation.base)
            let errorList = errors.keys.sorted().map { "\(SystemError("move_pages", errno: $0).errnoName) \(errors[$0]!)" }
            checks.append(.init(replica: index, policy: replica.policy, expectedNodes: replica.nodes,
                                kernelPolicy: policy.mode.name, kernelPolicyNodes: policy.nodes,
                                pages: pages, pagesSampled: samples.count,
                                pagesByNode: byNode.keys.sorted().map { .init(node: $0, pages: byNode[$0]!) },
                                notPresent: notPresent, misplaced: misplaced, unusedNodes: unused,
                                queryErrors: errorList,
                                matches: misplaced == 0 && notPresent == 0 && errors.isEmpty && unused.isEmpty))
        }
        return PlacementReport(buffer: buffer.plan.request.name, role: buffer.plan.request.role, layout: layout,
                               replicas: checks, matches: checks.allSatisfy(\.matches), equivalence: equivalence)
    }

    // All pages when few; otherwise one page at a pseudo-random spot in each of `limit` equal
    // strata, so interleave's period cannot alias with a fixed stride.
    static func sample(count: Int, limit: Int, seed: UInt64) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<limit).map { stratum in
            let low = count * stratum / limit, high = count * (stratum + 1) / limit
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return low + Int((state >> 33) % UInt64(max(1, high - low)))
        }
    }
}
