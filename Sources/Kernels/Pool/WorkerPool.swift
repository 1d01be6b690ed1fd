/// A persistent pool of worker threads that runs one parallel task at a time.
///
/// PLACEHOLDER API (the kernels-core work replaces the body with pinned persistent threads and a
/// spin barrier; the signatures stay): `run` calls `body(worker)` once on each of `threadCount`
/// workers, worker 0 being the calling thread, and returns when all have finished.
public final class WorkerPool: @unchecked Sendable {
    /// Number of workers, the caller included.
    public let threadCount: Int

    /// Makes a pool of `threadCount` workers (at least 1).
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
    }

    /// Runs `body(worker)` for worker in 0..<threadCount and waits for all.
    public func run(_ body: (Int) -> Void) {
        for worker in 0..<threadCount { body(worker) }
    }

    /// Splits 0..<count into contiguous chunks (multiples of `granularity` except the last) and
    /// runs `body(range, worker)` on each worker's chunk.
    public func parallelFor(_ count: Int, granularity: Int = 1, _ body: (Range<Int>, Int) -> Void) {
        let g = max(1, granularity)
        let units = (count + g - 1) / g
        run { worker in
            let lo = units * worker / threadCount * g
            let hi = min(count, units * (worker + 1) / threadCount * g)
            if lo < hi { body(lo..<hi, worker) }
        }
    }
}
