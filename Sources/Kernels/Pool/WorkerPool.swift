import CKernels

/// A persistent pool of worker threads that runs one parallel task at a time.
///
/// Threads are created once and pinned; `run` publishes a task by bumping a generation counter
/// and waits on a completion counter, so a dispatch costs two cache-line transfers, not a thread
/// start. Idle workers spin, then yield, then sleep on a condition variable, so an idle pool does
/// not burn a core. Worker 0 is the calling thread.
public final class WorkerPool: @unchecked Sendable {
    /// How the pool places its threads on CPUs.
    public enum Pinning: Sendable, Equatable {
        /// No affinity calls at all.
        case none
        /// Worker i runs on the i-th allowed CPU (wrapping); the calling thread is left alone.
        case automatic
        /// Worker i runs on `cpus[i % cpus.count]`; with `pinCaller` the creating thread is pinned
        /// to `cpus[0]` too (it changes that thread's affinity for good: use it on a thread that owns the pool).
        case cpus([Int], pinCaller: Bool)
    }

    /// Number of workers, the caller included.
    public let threadCount: Int
    /// The CPU each worker was pinned to (nil where unpinned or pinning failed), index = worker.
    public var pinnedCPUs: [Int?] { state.pinnedCPUs() }
    /// Kernel thread ids of the pool's own threads (workers 1..<threadCount; worker 0 is whichever
    /// thread calls `run`), for per-thread perf counters. Waits until every worker has started;
    /// -1 entries where the OS has no thread ids.
    public var workerThreadIDs: [Int32] { state.workerThreadIDs() }

    private let state: PoolState
    private var threads: [bb_thread] = []

    /// Makes a pool of `threadCount` workers (at least 1), pinned automatically.
    public convenience init(threadCount: Int) {
        self.init(threadCount: threadCount, pinning: .automatic)
    }

    /// Makes a pool of `threadCount` workers (at least 1) placed as `pinning` says.
    public init(threadCount: Int, pinning: Pinning) {
        let count = max(1, threadCount)
        self.threadCount = count
        var targets = [Int?](repeating: nil, count: count)
        switch pinning {
        case .none:
            break
        case .automatic:
            let allowed = WorkerPool.allowedCPUs()
            if !allowed.isEmpty {
                for worker in 1..<max(count, 1) { targets[worker] = allowed[worker % allowed.count] }
            }
        case let .cpus(cpus, pinCaller):
            if !cpus.isEmpty {
                for worker in 0..<count { targets[worker] = cpus[worker % cpus.count] }
                if !pinCaller { targets[0] = nil }
            }
        }
        state = PoolState(workers: count)
        if let cpu = targets[0] {
            state.recordPin(worker: 0, cpu: bb_pin_current_thread(Int32(cpu)) == 0 ? cpu : nil)
        }
        for worker in 1..<max(count, 1) {
            let context = WorkerContext(state: state, index: worker, cpu: targets[worker])
            var thread = bb_thread()
            let unmanaged = Unmanaged.passRetained(context)
            let rc = bb_thread_start(&thread, { raw in
                guard let raw else { return }
                let context = Unmanaged<WorkerContext>.fromOpaque(raw).takeRetainedValue()
                context.state.workerLoop(index: context.index, cpu: context.cpu)
            }, unmanaged.toOpaque())
            // A thread that cannot start is fatal: the pool's contract is threadCount workers.
            precondition(rc == 0, "WorkerPool: pthread_create failed with errno \(rc)")
            threads.append(thread)
        }
    }

    deinit {
        state.shutDown()
        for thread in threads { _ = bb_thread_join(thread) }
    }

    /// Runs `body(worker)` for worker in 0..<threadCount and waits for all.
    ///
    /// A nested call (from inside a task) or a call racing another thread's `run` on the same
    /// pool runs the workers' bodies one after another on the calling thread instead.
    public func run(_ body: (Int) -> Void) {
        if threadCount == 1 { body(0); return }
        guard state.acquire() else {
            for worker in 0..<threadCount { body(worker) }
            return
        }
        withoutActuallyEscaping(body) { task in
            state.dispatch(task)
            task(0)
            state.waitForWorkers()
        }
        state.release()
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

    /// The CPUs this process may run on, in order (empty where the OS cannot say).
    public static func allowedCPUs() -> [Int] {
        var buffer = [Int32](repeating: 0, count: 1024)
        let n = bb_allowed_cpus(&buffer, Int32(buffer.count))
        return n > 0 ? buffer[0..<Int(n)].map(Int.init) : []
    }

    /// The CPU the calling thread runs on now, or nil where unknown.
    public static func currentCPU() -> Int? {
        let cpu = bb_current_cpu()
        return cpu >= 0 ? Int(cpu) : nil
    }
}

/// What a pool thread needs at start: the shared state, its index and its CPU.
private final class WorkerContext {
    let state: PoolState
    let index: Int
    let cpu: Int?
    init(state: PoolState, index: Int, cpu: Int?) {
        self.state = state
        self.index = index
        self.cpu = cpu
    }
}

/// The state shared by a pool's threads: the generation barrier, the task and the sleep tier.
private final class PoolState: @unchecked Sendable {
    // Word layout, one 64-byte line each so the hot counters do not false-share.
    private static let generationWord = 0, pendingWord = 8, sleepersWord = 16, shutdownWord = 24, busyWord = 32
    private let words: UnsafeMutablePointer<UInt64>
    private let sleeper: OpaquePointer
    private let workers: Int
    private var task: ((Int) -> Void)?
    private var pins: [Int?]
    private var threadIDs: [Int32?]
    private let pinLock = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

    // Spin about tens of microseconds (pause is 10-140 cycles), then yield for about 2 ms, then sleep.
    private static let spinIterations = 4096
    private static let yieldIterations = 2048

    init(workers: Int) {
        self.workers = workers
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 40 * 8, alignment: 64)
        words = raw.initializeMemory(as: UInt64.self, repeating: 0, count: 40)
        guard let s = bb_sleeper_create() else { preconditionFailure("WorkerPool: out of memory") }
        sleeper = s
        pins = [Int?](repeating: nil, count: workers)
        threadIDs = [Int32?](repeating: nil, count: workers)
        pinLock.initialize(to: 0)
    }

    deinit {
        bb_sleeper_destroy(sleeper)
        words.deallocate()
        pinLock.deallocate()
    }

    private func word(_ index: Int) -> UnsafeMutablePointer<UInt64> { words + index }

    func recordPin(worker: Int, cpu: Int?) {
        while bb_atomic_cas(pinLock, 0, 1) == 0 { bb_cpu_relax() }
        pins[worker] = cpu
        bb_atomic_store_release(pinLock, 0)
    }

    func pinnedCPUs() -> [Int?] {
        while bb_atomic_cas(pinLock, 0, 1) == 0 { bb_cpu_relax() }
        let copy = pins
        bb_atomic_store_release(pinLock, 0)
        return copy
    }

    func recordThreadID(worker: Int) {
        let id = Int32(bb_kernel_thread_id())
        while bb_atomic_cas(pinLock, 0, 1) == 0 { bb_cpu_relax() }
        threadIDs[worker] = id
        bb_atomic_store_release(pinLock, 0)
    }

    /// The workers' ids once all have recorded theirs (each does so first thing at start).
    func workerThreadIDs() -> [Int32] {
        while true {
            while bb_atomic_cas(pinLock, 0, 1) == 0 { bb_cpu_relax() }
            let copy = threadIDs.dropFirst()
            bb_atomic_store_release(pinLock, 0)
            if copy.allSatisfy({ $0 != nil }) { return copy.map { $0! } }
            bb_yield()
        }
    }

    func acquire() -> Bool { bb_atomic_cas(word(Self.busyWord), 0, 1) != 0 }
    func release() { bb_atomic_store_release(word(Self.busyWord), 0) }

    /// Publishes a task: the generation bump (seq_cst) releases `task` and `pending` to the workers.
    func dispatch(_ body: @escaping (Int) -> Void) {
        task = body
        bb_atomic_store_release(word(Self.pendingWord), UInt64(workers - 1))
        _ = bb_atomic_add(word(Self.generationWord), 1)
        if bb_atomic_load_seq(word(Self.sleepersWord)) > 0 { bb_sleeper_wake_all(sleeper) }
    }

    func waitForWorkers() {
        var spins = 0
        while bb_atomic_load_acquire(word(Self.pendingWord)) != 0 {
            spins += 1
            if spins < Self.spinIterations { bb_cpu_relax() } else { bb_yield() }
        }
        task = nil
    }

    func shutDown() {
        bb_atomic_store_release(word(Self.shutdownWord), 1)
        _ = bb_atomic_add(word(Self.generationWord), 1)
        bb_sleeper_wake_all(sleeper)
    }

    func workerLoop(index: Int, cpu: Int?) {
        recordThreadID(worker: index)
        if let cpu { recordPin(worker: index, cpu: bb_pin_current_thread(Int32(cpu)) == 0 ? cpu : nil) }
        var seen: UInt64 = 0
        while true {
            seen = waitForGeneration(after: seen)
            if bb_atomic_load_acquire(word(Self.shutdownWord)) != 0 { return }
            task?(index)
            _ = bb_atomic_sub(word(Self.pendingWord), 1)
        }
    }

    private func waitForGeneration(after seen: UInt64) -> UInt64 {
        let generation = word(Self.generationWord)
        var spins = 0
        while true {
            let current = bb_atomic_load_acquire(generation)
            if current != seen { return current }
            spins += 1
            if spins < Self.spinIterations {
                bb_cpu_relax()
            } else if spins < Self.spinIterations + Self.yieldIterations {
                bb_yield()
            } else {
                // Announce the sleep before the final check (seq_cst on both sides), so a dispatch
                // either sees the sleeper and wakes it, or this check sees the new generation.
                _ = bb_atomic_add(word(Self.sleepersWord), 1)
                bb_sleeper_wait_while_equal(sleeper, generation, seen)
                _ = bb_atomic_sub(word(Self.sleepersWord), 1)
                spins = 0
            }
        }
    }
}
