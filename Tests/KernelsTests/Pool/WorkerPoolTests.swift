import Kernels
import Synchronization
import Testing

/// Counts per-index visits from many threads.
private final class VisitCounter: @unchecked Sendable {
    let counts: UnsafeMutablePointer<Int>
    let size: Int
    init(size: Int) {
        self.size = size
        counts = .allocate(capacity: max(size, 1))
        counts.initialize(repeating: 0, count: max(size, 1))
    }
    deinit { counts.deallocate() }
}

@Suite("WorkerPool")
struct WorkerPoolTests {
    @Test("run calls every worker exactly once", arguments: [1, 2, 3, 5])
    func everyWorkerRuns(threads: Int) {
        let pool = WorkerPool(threadCount: threads, pinning: .none)
        let seen = VisitCounter(size: threads)
        pool.run { worker in seen.counts[worker] += 1 }
        #expect((0..<threads).map { seen.counts[$0] } == Array(repeating: 1, count: threads))
    }

    @Test("parallelFor covers each index exactly once",
          arguments: [(1, 1, 1), (3, 10, 1), (3, 1000, 7), (2, 5, 8), (4, 0, 1), (3, 31, 32)])
    func parallelForCoversEachIndexOnce(threads: Int, count: Int, granularity: Int) {
        let pool = WorkerPool(threadCount: threads, pinning: .none)
        let seen = VisitCounter(size: count)
        pool.parallelFor(count, granularity: granularity) { range, _ in
            for i in range { seen.counts[i] += 1 }
        }
        #expect((0..<count).allSatisfy { seen.counts[$0] == 1 })
    }

    @Test("parallelFor chunks start on multiples of the granularity")
    func chunksAlignToGranularity() {
        let pool = WorkerPool(threadCount: 3, pinning: .none)
        let starts = VisitCounter(size: 3)
        pool.parallelFor(100, granularity: 8) { range, worker in starts.counts[worker] = range.lowerBound }
        #expect((0..<3).allSatisfy { starts.counts[$0] % 8 == 0 })
    }

    @Test("many back-to-back runs finish and see every write (no deadlock, no lost wake-up)")
    func backToBackRuns() {
        let pool = WorkerPool(threadCount: 3, pinning: .none)
        let total = VisitCounter(size: 3)
        for _ in 0..<5_000 {
            pool.run { worker in total.counts[worker] += 1 }
        }
        #expect((0..<3).map { total.counts[$0] } == [5_000, 5_000, 5_000])
    }

    @Test("runs after the workers fell asleep still complete")
    func runsAfterIdleSleep() async throws {
        let pool = WorkerPool(threadCount: 2, pinning: .none)
        let total = VisitCounter(size: 2)
        for _ in 0..<3 {
            pool.run { worker in total.counts[worker] += 1 }
            try await Task.sleep(nanoseconds: 60_000_000)  // long enough to pass spin and yield tiers
        }
        #expect(total.counts[0] == 3 && total.counts[1] == 3)
    }

    @Test("a nested run executes every worker body on the calling thread")
    func nestedRunDoesNotDeadlock() {
        let pool = WorkerPool(threadCount: 2, pinning: .none)
        let inner = VisitCounter(size: 4)
        pool.run { outer in
            if outer == 0 { pool.run { worker in inner.counts[worker] += 1 } }
        }
        #expect(inner.counts[0] == 1 && inner.counts[1] == 1)
    }

    @Test("pinned workers run on the CPU they were given")
    func pinnedWorkersRunOnTheirCPU() {
        let allowed = WorkerPool.allowedCPUs()
        guard let last = allowed.last else { return }  // no affinity API on this OS
        let pool = WorkerPool(threadCount: 2, pinning: .cpus([last], pinCaller: false))
        let cpu = VisitCounter(size: 2)
        pool.run { worker in if worker == 1 { cpu.counts[1] = WorkerPool.currentCPU() ?? -1 } }
        #expect(pool.pinnedCPUs[1] == last)
        #expect(cpu.counts[1] == last)
        #expect(pool.pinnedCPUs[0] == nil)
    }

    @Test("pools are created and destroyed cleanly many times")
    func createAndDestroy() {
        for _ in 0..<50 {
            let pool = WorkerPool(threadCount: 3)
            let seen = VisitCounter(size: 3)
            pool.run { seen.counts[$0] += 1 }
            #expect(seen.counts[2] == 1)
        }
    }
}
