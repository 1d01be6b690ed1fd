import Foundation
import Measurement
import Testing

@Suite("Pinning expressions")
struct PinningTests {
    static let cases: [(TopologyFixture, String, Int?, [Int])] = [
        // 2 sockets x 2 nodes x 8 cores, SMT siblings at +32.
        (.xeon, "compact", 4, [0, 1, 2, 3]),
        (.xeon, "compact", 34, Array(0...31) + [32, 33]),
        (.xeon, "scatter", 4, [0, 16, 8, 24]),
        (.xeon, "scatter", 6, [0, 16, 8, 24, 1, 17]),
        (.xeon, "0-3,8-11", nil, [0, 1, 2, 3, 8, 9, 10, 11]),
        (.xeon, "5,3,40", nil, [5, 3, 40]),
        (.xeon, "N:0-3", nil, [0, 1, 2, 3]),
        (.xeon, "S1:0-3", nil, [16, 17, 18, 19]),
        (.xeon, "S1:16", nil, [48]),
        (.xeon, "S0:0-7", nil, Array(0...7)),
        (.xeon, "M1:0-1", nil, [8, 9]),
        (.xeon, "M1:8", nil, [40]),
        (.xeon, "C1:0", nil, [16]),
        (.xeon, "N:0-3@S1:0-1", nil, [0, 1, 2, 3, 16, 17]),
        (.xeon, "E:N:4:1:2", nil, [0, 1, 2, 3]),
        (.xeon, "E:S0:4:2:4", nil, [0, 32, 2, 34]),
        (.xeon, "E:M3:3", nil, [24, 56, 25]),
        // 2 sockets x 4 nodes x 4 cores.
        (.epyc8, "scatter", 8, [0, 16, 4, 20, 8, 24, 12, 28]),
        (.epyc8, "scatter", 9, [0, 16, 4, 20, 8, 24, 12, 28, 1]),
        (.epyc8, "M5:0-3", nil, [20, 21, 22, 23]),
        (.epyc8, "C3:0-3", nil, [6, 7, 38, 39]),
        // 1 socket, 4 dies = 4 nodes of 6 cores.
        (.epyc4, "scatter", 4, [0, 6, 12, 18]),
        (.epyc4, "D1:0-1", nil, [6, 7]),
        (.epyc4, "C2:0-5", nil, [6, 7, 8, 30, 31, 32]),
        (.epyc4, "M3:0", nil, [18]),
        (.arm, "compact", nil, [0, 1, 2, 3]),
        (.vm, "scatter", 2, [0, 1]),
    ]

    @Test("resolves to the expected CPUs in order", arguments: cases.indices)
    func resolve(_ index: Int) throws {
        let (fixture, expression, workers, expected) = Self.cases[index]
        let plan = try PinningPlanner(topology: try fixture.topology()).plan(expression, workers: workers)
        #expect(plan.cpus == expected, "\(fixture) \(expression)")
        #expect(plan.expression == expression)
        #expect(plan.workers.map(\.worker) == Array(0..<expected.count))
    }

    @Test("workers carry their core, package and node")
    func workerPlacement() throws {
        let topology = try TopologyFixture.xeon.topology()
        let plan = try PinningPlanner(topology: topology).plan("scatter", workers: 4)
        #expect(plan.workers.map(\.node) == [0, 2, 1, 3])
        #expect(plan.workers.map(\.package) == [0, 1, 0, 1])
        #expect(plan.nodes == [0, 1, 2, 3])
        #expect(!plan.sharesCores)
        #expect(try PinningPlanner(topology: topology).plan("0,32").sharesCores)
    }

    static let failures: [(TopologyFixture, String, Int?, String)] = [
        (.xeon, "S2:0-3", nil, "socket 2 does not exist (sockets: 0-1)"),
        (.xeon, "N:0-99", nil, "index 64 in 'N:0-99' is out of range: domain N has 64 CPUs (0-63)"),
        (.xeon, "0-3,70", nil, "CPU 70 is not online (online: 0-63)"),
        (.xeon, "0,0", nil, "CPU 0 is selected twice"),
        (.xeon, "S0:0-3", 8, "selects 4 CPUs (0-3), but 8 workers need pinning"),
        (.xeon, "compact", 65, "selects 64 CPUs (0-63), but 65 workers need pinning"),
        (.xeon, "X0:1", nil, "'X0' in 'X0:1' is not a domain"),
        (.xeon, "E:N:0", nil, "must be positive integers"),
        (.xeon, "E:N:4:3:2", nil, "stride 2 in 'E:N:4:3:2' is smaller than chunk 3"),
        (.xeon, "E:M0:20:1:2", nil, "asks for 20 CPUs, but domain M0 yields only 8"),
        (.xeon, "", nil, "the expression is empty"),
        (.xeon, "S0:", nil, "index list in 'S0:'"),
        (.xeon, "spread", nil, "not compact, scatter, a CPU list or a domain expression"),
        (.xeon, "C9:0", nil, "last-level cache group 9 does not exist (groups: 0-1)"),
        (.epyc4, "M4:0", nil, "NUMA node 4 does not exist (nodes: 0-3)"),
        (.epyc4, "D4:0", nil, "die 4 does not exist (dies: 0-3)"),
        (.vm, "compact", 0, "the number of workers must be at least 1"),
    ]

    @Test("bad expressions fail with the expression and the problem", arguments: failures.indices)
    func reject(_ index: Int) throws {
        let (fixture, expression, workers, fragment) = Self.failures[index]
        let planner = PinningPlanner(topology: try fixture.topology())
        do {
            let plan = try planner.plan(expression, workers: workers)
            Issue.record("'\(expression)' resolved to \(plan.cpus), expected an error")
        } catch let error as PinningError {
            #expect(error.expression == expression)
            #expect(error.description.hasPrefix("pinning expression '\(expression)': "))
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test("the text form parses back to the same expression", arguments: ["compact", "scatter", "3,1,2", "S0:0,1,2@M1:4", "E:N:8:1:2"])
    func roundTrip(_ text: String) throws {
        let parsed = try PinningExpression.parse(text)
        #expect(try PinningExpression.parse(parsed.description) == parsed)
    }
}

@Suite("Pinning threads on this machine")
struct PinningLiveTests {
    @Test("a pinned thread reports exactly its CPU as its affinity")
    func pinAndReadBack() throws {
        let allowed = try CPUAffinity.current()
        #expect(!allowed.isEmpty)
        let seen = Locked<[Int: [Int]]>([:])
        try PinnedThreads.run(on: allowed) { index in
            let mask = try CPUAffinity.current()
            seen.update { $0[allowed[index]] = mask }
        }
        for cpu in allowed { #expect(seen.value[cpu] == [cpu]) }
        // The calling thread is untouched.
        #expect(try CPUAffinity.current() == allowed)
    }

    @Test("pinning to a CPU that does not exist fails with errno")
    func pinNowhere() throws {
        #expect(throws: SystemError.self) {
            try PinnedThreads.run(on: [1 << 20]) { _ in }
        }
        do {
            try PinnedThreads.run(on: [4095]) { _ in }
            // 4095 can exist only on huge machines; nothing to check then.
        } catch let error as SystemError {
            #expect(error.operation == "sched_setaffinity")
            #expect(error.errno == EINVAL)
        }
    }
}
