import Foundation
import Measurement
import Testing

/// Every layout on real memory on this machine, checked page by page with move_pages.
@Suite("NUMA placement on this machine", .enabled(if: LibNUMA.isAvailable, "libnuma reports no NUMA support"))
struct PlacementLiveTests {
    static let weightBytes = 8 << 20 + 12_345, kvBytes = 2 << 20

    // A recognisable pattern: word i of the buffer holds i * 0x9E3779B97F4A7C15.
    static let pattern: PlacementExecutor.Initializer = { destination, offset in
        precondition(offset % 8 == 0)
        let words = destination.count / 8
        let base = destination.baseAddress!
        for index in 0..<words {
            base.storeBytes(of: UInt64(offset / 8 + index) &* 0x9E37_79B9_7F4A_7C15, toByteOffset: index * 8, as: UInt64.self)
        }
        for tail in (words * 8)..<destination.count { base.storeBytes(of: 0xAB, toByteOffset: tail, as: UInt8.self) }
    }

    static func patternHolds(_ memory: UnsafeMutableRawBufferPointer) -> Bool {
        let words = memory.count / 8
        for index in stride(from: 0, to: words, by: 97) where memory.load(fromByteOffset: index * 8, as: UInt64.self) != UInt64(index) &* 0x9E37_79B9_7F4A_7C15 {
            return false
        }
        return memory.count % 8 == 0 || memory[memory.count - 1] == 0xAB
    }

    static func setup() throws -> (Topology, PinningPlan) {
        let topology = try TopologyReader(paths: .live).read()
        let allowed = Set(try CPUAffinity.current())
        let planner = PinningPlanner(topology: topology)
        let cpus = try planner.plan(.compact).cpus.filter(allowed.contains)
        return (topology, try planner.plan(.list(cpus)))
    }

    @Test("every layout runs; the check finds every sampled page where the plan put it",
          arguments: ["local", "interleave", "bind", "replicate"])
    func layout(_ name: String) throws {
        let (topology, pinning) = try Self.setup()
        let firstMemoryNode = try #require(topology.memoryNodes.first).id
        let layout = name == "bind" ? NUMALayout.bind(firstMemoryNode) : try NUMALayout.parse(name)
        let buffers = [BufferRequest(name: "weights", bytes: Self.weightBytes, role: .weights),
                       BufferRequest(name: "kv-cache", bytes: Self.kvBytes, role: .kvCache)]
        let plan = try PlacementPlanner(topology: topology, pageSize: PageLocator.pageSize)
            .plan(layout, pinning: pinning, buffers: buffers)
        let placed = try PlacementExecutor().place(plan) { _ in Self.pattern }
        for buffer in placed {
            let report = try PlacementCheck.run(buffer, layout: layout, equivalence: plan.equivalence)
            #expect(report.matches, "\(report)")
            for replica in report.replicas {
                #expect(replica.notPresent == 0 && replica.misplaced == 0 && replica.queryErrors.isEmpty)
                #expect(replica.pagesSampled == min(replica.pages, 4096) || replica.policy == .firstTouch)
                #expect(replica.pagesByNode.map(\.pages).reduce(0, +) == replica.pagesSampled)
                let expectedPolicy: String
                switch replica.policy {
                case .firstTouch: expectedPolicy = "default"
                case .bind: expectedPolicy = "bind"
                case .interleave: expectedPolicy = "interleave"
                }
                #expect(replica.kernelPolicy == expectedPolicy)
            }
            if topology.memoryNodes.count == 1 {
                // The issue's check on a one-node machine: every page reported on node 0.
                #expect(report.replicas.allSatisfy { $0.pagesByNode.map(\.node) == [firstMemoryNode] })
                #expect(report.equivalence?.contains("equivalent") == true)
            }
            for worker in 0..<pinning.workers.count {
                #expect(Self.patternHolds(buffer.memory(forWorker: worker)))
            }
        }
    }

    @Test("the check reports pages that are not where a (wrong) plan expects them",
          .enabled(if: ((try? LibNUMA.nodes()) ?? []).count == 1, "needs a one-node machine"))
    func detectsMisplacement() throws {
        // A topology that claims this machine's CPUs sit on node 1 (with memory) while the kernel
        // has only node 0: first touch lands on node 0, and the check must say so.
        let allowed = try CPUAffinity.current()
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.write("sys/devices/system/cpu/online", CPUList.format(allowed))
        for (index, cpu) in allowed.enumerated() { try tree.cpu(cpu, core: index) }
        try tree.write("sys/devices/system/node/online", "0-1")
        try tree.write("sys/devices/system/node/node0/cpulist", "")
        try tree.write("sys/devices/system/node/node0/meminfo", "Node 0 MemTotal: 1048576 kB")
        try tree.write("sys/devices/system/node/node1/cpulist", CPUList.format(allowed))
        try tree.write("sys/devices/system/node/node1/meminfo", "Node 1 MemTotal: 1048576 kB")
        let topology = try TopologyReader(paths: tree.paths).read()
        let pinning = try PinningPlanner(topology: topology).plan(.list(allowed))
        let plan = try PlacementPlanner(topology: topology).plan(.local, pinning: pinning,
                                                                 buffers: [BufferRequest(name: "w", bytes: 1 << 20, role: .weights)])
        #expect(plan.buffers[0].replicas[0].slices.allSatisfy { $0.node == 1 })
        let placed = try PlacementExecutor().place(plan)
        let report = try PlacementCheck.run(placed[0], layout: .local)
        #expect(!report.matches)
        #expect(report.replicas[0].misplaced == report.replicas[0].pagesSampled)
        #expect(report.replicas[0].pagesByNode.map(\.node) == [0])
    }

    @Test("untouched pages are reported as not present, touched ones with their node")
    func untouchedPages() throws {
        let allocation = try NUMAAllocation(byteCount: 4 * PageLocator.pageSize, policy: .firstTouch)
        let pages = (0..<4).map { UnsafeRawPointer(allocation.base + $0 * PageLocator.pageSize) }
        #expect(try PageLocator.status(of: pages) == Array(repeating: .notPresent, count: 4))
        allocation.base.storeBytes(of: 1, toByteOffset: 0, as: UInt8.self)
        let after = try PageLocator.status(of: pages)
        guard case .node(let node) = after[0] else {
            Issue.record("touched page has status \(after[0])")
            return
        }
        #expect(try LibNUMA.nodes().contains(node))
        #expect(after[1...] == [.notPresent, .notPresent, .notPresent])
    }

    @Test("a policy applied with mbind is what get_mempolicy reports")
    func setPolicy() throws {
        let node = try #require(try LibNUMA.nodes().first)
        let allocation = try NUMAAllocation(byteCount: 1 << 20, policy: .firstTouch)
        #expect(try PageLocator.policy(at: allocation.base).mode == .default)
        try LibNUMA.setPolicy(.bind, nodes: [node], on: allocation.bytes)
        let policy = try PageLocator.policy(at: allocation.base)
        #expect(policy.mode == .bind && policy.nodes == [node])
    }

    @Test("allocating on a node that does not exist fails with an error, not a crash")
    func missingNode() throws {
        let beyond = try LibNUMA.maxNode() + 1
        #expect(throws: SystemError.self) {
            _ = try NUMAAllocation(byteCount: 1 << 20, policy: .node(beyond))
        }
        #expect(throws: SystemError.self) {
            _ = try NUMAAllocation(byteCount: 0, policy: .firstTouch)
        }
        #expect(throws: SystemError.self) {
            let allocation = try NUMAAllocation(byteCount: 1 << 20, policy: .firstTouch)
            try LibNUMA.setPolicy(.bind, nodes: [beyond], on: allocation.bytes)
        }
    }

    @Test("libnuma's node queries match the sysfs node folders")
    func nodeQueries() throws {
        let topology = try TopologyReader().read()
        #expect(try LibNUMA.nodes() == topology.nodes.map(\.id))
        for node in topology.nodes {
            #expect(try LibNUMA.cpus(ofNode: node.id) == node.cpus)
            let memory = try LibNUMA.memory(ofNode: node.id)
            #expect(memory.total > 0 && memory.free <= memory.total)
        }
        #expect(throws: SystemError.self) { _ = try LibNUMA.cpus(ofNode: 4000) }
        #expect(throws: SystemError.self) { _ = try LibNUMA.memory(ofNode: 4000) }
    }
}
