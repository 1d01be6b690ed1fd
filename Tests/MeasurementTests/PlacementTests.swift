import Foundation
import Measurement
import Testing

@Suite("NUMA layout planning on recorded topologies")
struct PlacementTests {
    static let mib = 1 << 20
    static let buffers = [BufferRequest(name: "weights", bytes: 64 * mib, role: .weights),
                          BufferRequest(name: "kv-cache", bytes: 8 * mib, role: .kvCache)]

    func plan(_ fixture: TopologyFixture, _ layout: String, pin: String, workers: Int? = nil,
              buffers: [BufferRequest] = buffers) throws -> PlacementPlan {
        let topology = try fixture.topology()
        let pinning = try PinningPlanner(topology: topology).plan(pin, workers: workers)
        return try PlacementPlanner(topology: topology).plan(try NUMALayout.parse(layout), pinning: pinning, buffers: buffers)
    }

    @Test("local: each worker first-touches a contiguous, page-aligned share on its own node")
    func local() throws {
        let plan = try plan(.xeon, "local", pin: "scatter", workers: 4)
        #expect(plan.equivalence == nil)
        for buffer in plan.buffers {
            #expect(buffer.replicas.count == 1)
            let replica = buffer.replicas[0]
            #expect(replica.policy == .firstTouch)
            #expect(replica.slices.map(\.node) == [0, 2, 1, 3])
            #expect(replica.slices.map(\.cpu) == [0, 16, 8, 24])
            #expect(replica.slices.allSatisfy { $0.offset % 4096 == 0 })
            // Shares tile the buffer exactly.
            var next = 0
            for slice in replica.slices {
                #expect(slice.offset == next)
                next += slice.length
            }
            #expect(next == buffer.request.bytes)
            #expect(buffer.readerReplica == [0, 0, 0, 0])
        }
        #expect(plan.bytesPerNode.map(\.node) == [0, 1, 2, 3])
        #expect(plan.bytesPerNode.allSatisfy { $0.bytes == 18 * Self.mib })
    }

    @Test("local: a worker on a memory-less node touches memory of the nearest node")
    func localMemorylessNode() throws {
        let plan = try plan(.epyc4, "local", pin: "scatter", workers: 4)
        #expect(plan.buffers[0].replicas[0].slices.map(\.node) == [0, 1, 2, 0])
        #expect(plan.buffers[0].replicas[0].nodes == [0, 1, 2])
    }

    @Test("interleave: every node with memory by default, or the listed nodes")
    func interleave() throws {
        let all = try plan(.epyc8, "interleave", pin: "compact", workers: 2)
        #expect(all.buffers.allSatisfy { $0.replicas.count == 1 && $0.replicas[0].policy == .interleave })
        #expect(all.buffers[0].replicas[0].nodes == Array(0...7))
        #expect(all.bytesPerNode.map(\.bytes) == Array(repeating: 9 * Self.mib, count: 8))
        let some = try plan(.epyc8, "interleave:0,4", pin: "compact", workers: 2)
        #expect(some.buffers[0].replicas[0].nodes == [0, 4])
        let withoutMemoryless = try plan(.epyc4, "interleave", pin: "compact", workers: 2)
        #expect(withoutMemoryless.buffers[0].replicas[0].nodes == [0, 1, 2])
    }

    @Test("bind:N puts every buffer on node N")
    func bind() throws {
        let plan = try plan(.xeon, "bind:2", pin: "compact", workers: 8)
        for buffer in plan.buffers {
            #expect(buffer.replicas.map(\.policy) == [.bind])
            #expect(buffer.replicas[0].nodes == [2])
        }
        #expect(plan.bytesPerNode.map(\.node) == [2])
        #expect(plan.bytesPerNode[0].bytes == 72 * Self.mib)
    }

    @Test("replicate: one weight copy per worker node, each worker reads its own node's copy")
    func replicate() throws {
        let socket0 = try plan(.xeon, "replicate", pin: "compact", workers: 16)
        let weights = socket0.buffers[0]
        #expect(weights.replicas.map(\.nodes) == [[0], [1]])
        #expect(weights.replicas.allSatisfy { $0.policy == .bind })
        #expect(weights.readerReplica == Array(repeating: 0, count: 8) + Array(repeating: 1, count: 8))
        #expect(weights.note == nil)

        let spread = try plan(.xeon, "replicate", pin: "scatter", workers: 4)
        #expect(spread.buffers[0].replicas.map(\.nodes) == [[0], [1], [2], [3]])
        #expect(spread.buffers[0].readerReplica == [0, 2, 1, 3])
        // 64 MiB of weights on each of 4 nodes, plus a 2 MiB share of the KV cache.
        #expect(spread.bytesPerNode.allSatisfy { $0.bytes == 66 * Self.mib })

        let eight = try plan(.epyc8, "replicate", pin: "scatter", workers: 8)
        #expect(eight.buffers[0].replicas.count == 8)
        for (worker, replica) in eight.buffers[0].readerReplica.enumerated() {
            #expect(eight.buffers[0].replicas[replica].nodes == [eight.workers[worker].node])
        }
    }

    @Test("replicate: the KV cache is never copied; it stays local with a note")
    func replicateKVCache() throws {
        let plan = try plan(.xeon, "replicate", pin: "scatter", workers: 4)
        let kv = plan.buffers[1]
        #expect(kv.replicas.count == 1 && kv.replicas[0].policy == .firstTouch)
        #expect(kv.replicas[0].slices.map(\.node) == [0, 2, 1, 3])
        #expect(kv.note?.contains("not replicated") == true)
    }

    @Test("replicate: workers on a memory-less node read the nearest node's copy")
    func replicateMemorylessNode() throws {
        let plan = try plan(.epyc4, "replicate", pin: "scatter", workers: 4)
        let weights = plan.buffers[0]
        #expect(weights.replicas.map(\.nodes) == [[0], [1], [2]])
        #expect(weights.readerReplica == [0, 1, 2, 0])
    }

    @Test("one memory node: every layout plans and records that they are equivalent",
          arguments: ["local", "interleave", "bind:0", "replicate"])
    func oneNode(_ layout: String) throws {
        let plan = try plan(.vm, layout, pin: "compact")
        #expect(plan.equivalence?.contains("equivalent") == true)
        #expect(plan.bytesPerNode.map(\.node) == [0])
        #expect(plan.buffers.allSatisfy { $0.replicas.count == 1 && $0.replicas[0].nodes == [0] })
    }

    @Test("shares handle sizes that are not page multiples and buffers smaller than the worker count")
    func oddSizes() throws {
        let oddBytes = 10 * 4096 + 100
        let odd = [BufferRequest(name: "odd", bytes: oddBytes, role: .weights)]
        let slices = try plan(.xeon, "local", pin: "compact", workers: 3, buffers: odd).buffers[0].replicas[0].slices
        let covered: Int = slices.map(\.length).reduce(0, +)
        #expect(covered == oddBytes)
        #expect(slices.allSatisfy { $0.offset % 4096 == 0 })
        let tiny = [BufferRequest(name: "tiny", bytes: 1, role: .weights)]
        let one = try plan(.xeon, "local", pin: "compact", workers: 4, buffers: tiny).buffers[0].replicas[0].slices
        #expect(one.count == 1 && one[0].length == 1 && one[0].worker == 3)
    }

    static let failures: [(TopologyFixture, String, [BufferRequest], String)] = [
        (.xeon, "bind:5", buffers, "node 5 does not exist (nodes: 0-3)"),
        (.vm, "bind:1", buffers, "node 1 does not exist (nodes: 0)"),
        (.epyc4, "bind:3", buffers, "node 3 has no memory"),
        (.epyc4, "interleave:2-3", buffers, "node 3 has no memory"),
        (.epyc8, "interleave:9", buffers, "node 9 does not exist (nodes: 0-7)"),
        (.xeon, "bind:0", [BufferRequest(name: "w", bytes: 100 << 30, role: .weights)],
         "needs 100.0 GiB on node 0, which has 48.0 GiB of memory"),
        (.xeon, "replicate", [BufferRequest(name: "w", bytes: 49 << 30, role: .weights)],
         "needs 49.0 GiB on node 0, which has 48.0 GiB of memory"),
        (.xeon, "local", [BufferRequest(name: "empty", bytes: 0, role: .kvCache)],
         "buffer 'empty' has 0 bytes; it needs at least 1"),
    ]

    @Test("impossible placements fail before anything is allocated", arguments: failures.indices)
    func reject(_ index: Int) throws {
        let (fixture, layout, buffers, fragment) = Self.failures[index]
        do {
            let result = try plan(fixture, layout, pin: "compact", workers: 2, buffers: buffers)
            Issue.record("expected an error, got \(result.bytesPerNode)")
        } catch let error as NUMALayoutError {
            #expect(error.layout == layout)
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test("more than the free memory plans, flagged; more than the node's memory does not")
    func freeMemoryFlag() throws {
        let big = [BufferRequest(name: "w", bytes: 47 << 30, role: .weights)]
        let plan = try plan(.xeon, "bind:0", pin: "compact", workers: 1, buffers: big)
        #expect(plan.bytesPerNode[0].exceedsFreeMemory)
        #expect(plan.bytesPerNode[0].freeBytes == 45 << 30)
    }

    @Test("layouts parse from and print to their text form",
          arguments: [("local", NUMALayout.local), ("interleave", .interleave(nil)), ("interleave:0-3", .interleave([0, 1, 2, 3])),
                      ("bind:1", .bind(1)), ("replicate", .replicate), (" Bind:2 ", .bind(2))])
    func parse(_ text: String, _ layout: NUMALayout) throws {
        #expect(try NUMALayout.parse(text) == layout)
        #expect(try NUMALayout.parse(layout.description) == layout)
    }

    @Test("bad layouts name the text and what was expected",
          arguments: ["bind", "bind:x", "numa", "local:1", "interleave:", "interleave:a", "bind:-1"])
    func parseErrors(_ text: String) {
        #expect(throws: NUMALayoutError.self) { try NUMALayout.parse(text) }
    }

    @Test("layouts encode as their text form in records")
    func layoutCodable() throws {
        let data = try JSONEncoder().encode([NUMALayout.bind(1), .interleave(nil)])
        #expect(String(decoding: data, as: UTF8.self) == #"["bind:1","interleave"]"#)
        #expect(try JSONDecoder().decode([NUMALayout].self, from: data) == [.bind(1), .interleave(nil)])
    }
}
