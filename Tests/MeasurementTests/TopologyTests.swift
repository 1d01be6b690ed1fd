import Foundation
import Measurement
import Testing

@Suite("Topology from sysfs")
struct TopologyTests {
    /// Expected shape per fixture: (packages, cores, CPUs, threads per core, nodes, L3 instances, L3 bytes).
    static let shapes: [(TopologyFixture, Int, Int, Int, Int, Int, Int, Int)] = [
        (.xeon, 2, 32, 64, 2, 4, 2, 22528 << 10),
        (.epyc8, 2, 32, 64, 2, 8, 16, 16 << 20),
        (.epyc4, 1, 24, 48, 2, 4, 8, 8 << 20),
        (.vm, 1, 2, 2, 1, 1, 1, 266_240 << 10),
    ]

    @Test("counts packages, cores, threads, nodes and L3 groups", arguments: shapes.map { $0.0 })
    func shape(_ fixture: TopologyFixture) throws {
        let expected = Self.shapes.first { $0.0 == fixture }!
        let topology = try fixture.topology()
        #expect(topology.packages.count == expected.1)
        #expect(topology.cores.count == expected.2)
        #expect(topology.cpus.count == expected.3)
        #expect(topology.threadsPerCore == expected.4)
        #expect(topology.nodes.count == expected.5)
        let l3 = topology.caches.filter { $0.level == 3 }
        #expect(l3.count == expected.6)
        #expect(l3.allSatisfy { $0.sizeBytes == expected.7 })
        // Every CPU belongs to exactly one core and one node.
        #expect(topology.cores.flatMap(\.cpus).sorted() == topology.cpus.map(\.id))
        #expect(topology.nodes.flatMap(\.cpus).sorted() == topology.cpus.map(\.id))
    }

    @Test("Xeon SNC2: SMT siblings are n and n+32, node 1 is socket 0's upper half")
    func xeonDetails() throws {
        let topology = try TopologyFixture.xeon.topology()
        let cpu40 = try #require(topology.cpu(40))
        #expect(topology.cores[cpu40.core].cpus == [8, 40])
        #expect(cpu40.threadIndex == 1 && cpu40.package == 0 && cpu40.node == 1)
        #expect(topology.cpu(8)?.threadIndex == 0)
        #expect(topology.node(1)?.cpus == Array(8...15) + Array(40...47))
        #expect(topology.distance(from: 0, to: 1) == 11)
        #expect(topology.distance(from: 1, to: 3) == 21)
        // Core ids skip numbers on Skylake-SP; ordering must follow them, not assume 0..15.
        #expect(topology.cores.prefix(16).map(\.coreID) == [0, 1, 2, 3, 4, 8, 9, 10, 11, 16, 17, 18, 19, 20, 24, 25])
        let l1d = topology.caches.filter { $0.label == "L1d" }
        #expect(l1d.count == 32 && l1d.allSatisfy { $0.cpus.count == 2 && $0.sizeBytes == 32 << 10 })
        #expect(topology.node(2)?.memoryBytes == 48 << 30)
    }

    @Test("EPYC 1S: node 3 has CPUs but no memory; its nearest memory node is node 0")
    func memorylessNode() throws {
        let topology = try TopologyFixture.epyc4.topology()
        let node3 = try #require(topology.node(3))
        #expect(!node3.cpus.isEmpty && !node3.hasMemory)
        #expect(topology.memoryNodes.map(\.id) == [0, 1, 2])
        #expect(topology.nearestMemoryNode(to: 3) == 0)
        #expect(topology.nearestMemoryNode(to: 2) == 2)
        // The L3 of a Zen 1 CCX covers 3 cores = 6 threads.
        #expect(topology.lastLevelCaches.map(\.cpus.count) == Array(repeating: 6, count: 8))
        #expect(Set(topology.cpus.map(\.die)) == [0, 1, 2, 3])
    }

    @Test("the live machine agrees with the kernel's online count and with libnuma")
    func liveMachine() throws {
        let topology = try TopologyReader().read()
        #expect(topology.cpus.count == Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let check = NUMACrossCheck.run(against: topology)
        if LibNUMA.isAvailable {
            #expect(check.libnuma.isAvailable)
            #expect(check.disagreements.isEmpty, "\(check.disagreements)")
            #expect(check.nodes.map(\.id) == topology.nodes.map(\.id))
        } else {
            #expect(check.libnuma.reason != nil)
        }
    }

    @Test("a kernel without a node folder gives one node 0 and says so")
    func noNodeFolder() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.write("sys/devices/system/cpu/online", "0-1")
        try tree.cpu(0, core: 0)
        try tree.cpu(1, core: 1)
        let topology = try TopologyReader(paths: tree.paths).read()
        #expect(topology.nodes.map(\.id) == [0])
        #expect(topology.nodes[0].cpus == [0, 1])
        #expect(topology.nodes[0].memoryBytes == nil)
        #expect(topology.notes.contains { $0.contains("does not exist") })
    }

    @Test("offline CPUs are left out of cores, caches and nodes")
    func offlineCPU() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.write("sys/devices/system/cpu/online", "0-2")
        try tree.cpu(0, core: 0, siblings: "0,3")
        try tree.cpu(1, core: 1, siblings: "1")
        try tree.cpu(2, core: 2, siblings: "2")
        try tree.write("sys/devices/system/node/online", "0")
        try tree.write("sys/devices/system/node/node0/cpulist", "0-3")
        try tree.write("sys/devices/system/node/node0/meminfo", "Node 0 MemTotal: 1024 kB\nNode 0 MemFree: 512 kB")
        let topology = try TopologyReader(paths: tree.paths).read()
        #expect(topology.cpus.map(\.id) == [0, 1, 2])
        #expect(topology.cores[0].cpus == [0])
        #expect(topology.nodes[0].cpus == [0, 1, 2])
        #expect(topology.nodes[0].memoryBytes == 1 << 20 && topology.nodes[0].freeBytes == 512 << 10)
        #expect(topology.caches.first?.cpus == [0])
    }

    @Test("a malformed file is an error naming the file and what was expected")
    func malformedFile() throws {
        let tree = try ScratchTree()
        defer { tree.remove() }
        try tree.write("sys/devices/system/cpu/online", "0")
        try tree.cpu(0, core: 0)
        try tree.write("sys/devices/system/cpu/cpu0/topology/core_id", "zero")
        do {
            _ = try TopologyReader(paths: tree.paths).read()
            Issue.record("expected an error")
        } catch let error as SysfsValueError {
            #expect(error.path.hasSuffix("cpu0/topology/core_id"))
            #expect(error.description.contains("expected a decimal integer"))
        }
    }

    @Test("a missing root is an error carrying errno and the path")
    func missingRoot() throws {
        do {
            _ = try TopologyReader(sysfsRoot: "/nonexistent-bitbench-root").read()
            Issue.record("expected an error")
        } catch let error as SystemError {
            #expect(error.errno == ENOENT)
            #expect(error.operation == "opendir" || error.operation == "open")
            #expect(error.description.contains("/nonexistent-bitbench-root"))
            #expect(error.description.contains("ENOENT"))
        }
    }

    @Test("topology round-trips through JSON")
    func codable() throws {
        let topology = try TopologyFixture.epyc8.topology()
        let data = try JSONEncoder().encode(topology)
        #expect(try JSONDecoder().decode(Topology.self, from: data) == topology)
    }
}

@Suite("Kernel list format")
struct TopologyCPUListTests {
    @Test("parses ranges, singles and whitespace", arguments: [
        ("0-3,8-11", [0, 1, 2, 3, 8, 9, 10, 11]), ("5", [5]), ("", []), ("0-1,1-2\n", [0, 1, 2]), ("7,3", [3, 7]),
    ])
    func parse(_ text: String, _ expected: [Int]) throws {
        #expect(try CPUList.parse(text) == expected)
    }

    @Test("rejects malformed lists, naming the bad part", arguments: ["0-", "a", "3-1", "1,,2", "-1", "0-99999999"])
    func reject(_ text: String) {
        #expect(throws: CPUListError.self) { try CPUList.parse(text) }
    }

    @Test("formats runs as ranges")
    func format() {
        #expect(CPUList.format([0, 1, 2, 3, 8, 9, 10, 11]) == "0-3,8-11")
        #expect(CPUList.format([5, 1, 3, 2]) == "1-3,5")
        #expect(CPUList.format([]) == "")
    }

    @Test("ordered parsing keeps the written order")
    func ordered() throws {
        #expect(try CPUList.parseOrdered("3,0-1") == [3, 0, 1])
        #expect(throws: CPUListError.self) { try CPUList.parseOrdered("") }
    }
}
