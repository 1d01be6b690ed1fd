import Foundation
import Measurement
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Counting scopes on this machine's kernel with software events: one group per worker thread
/// summed, and the calling thread with inherit.
@Suite("counter scopes (live)")
struct CounterScopeTests {
    /// Threads that park on a semaphore, spin for `spin` seconds of their own CPU time when told
    /// to, and park again, so counts read while they are parked are stable.
    final class Workers: @unchecked Sendable {
        let count: Int
        private let ready = DispatchSemaphore(value: 0)
        private let go = DispatchSemaphore(value: 0)
        private let done = DispatchSemaphore(value: 0)
        private let exit = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private(set) var tids: [Int32] = []

        init(count: Int) {
            self.count = count
            for _ in 0..<count {
                Thread { [self] in
                    lock.lock(); tids.append(KernelThreadID.current()); lock.unlock()
                    ready.signal()
                    go.wait()
                    Workers.spin(seconds: 0.02)
                    done.signal()
                    exit.wait()
                }.start()
            }
            for _ in 0..<count { ready.wait() }
        }

        func work() {
            for _ in 0..<count { go.signal() }
            for _ in 0..<count { done.wait() }
        }

        func finish() {
            for _ in 0..<count { exit.signal() }
        }

        /// Burns the thread's own CPU time.
        static func spin(seconds: Double) {
            let start = cpuSeconds()
            var x = 0.0
            while cpuSeconds() - start < seconds { x += 1 }
            if x < 0 { print(x) }
        }

        static func cpuSeconds() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
        }
    }

    @Test("pinned workers: per-thread groups summed equal the per-thread counts")
    func perThreadGroupsSum() throws {
        let workers = Workers(count: 2)
        defer { workers.finish() }
        let names = ["task-clock", "context-switches"]
        let both = try CounterProbe(session: CounterSession(names: names, scope: .threads(workers.tids)))
        let first = try CounterProbe(session: CounterSession(names: names, scope: .threads([workers.tids[0]])))
        let second = try CounterProbe(session: CounterSession(names: names, scope: .threads([workers.tids[1]])))
        for p in [both, first, second] { p.begin() }
        workers.work()
        for p in [both, first, second] { p.end() }
        let sum = try #require(both.reading()["task-clock"]?.value)
        let a = try #require(first.reading()["task-clock"]?.value)
        let b = try #require(second.reading()["task-clock"]?.value)
        // The workers were parked at every read, so their counts were not moving.
        #expect(sum == a + b)
        // Each spun for 20 ms of its own CPU time; task-clock (ns) accounts it a little
        // differently from CLOCK_THREAD_CPUTIME_ID, hence the 10% margin.
        #expect(a >= 0.9 * 0.02e9, "first worker: \(a) ns")
        #expect(b >= 0.9 * 0.02e9, "second worker: \(b) ns")
        #expect(both.reading().scope.contains("2 thread group(s) summed"))
    }

    @Test("calling thread with inherit: threads started after opening are counted")
    func inheritIntoNewThreads() throws {
        let probe = try CounterProbe(session: CounterSession(names: ["task-clock"], scope: .callingThread))
        probe.begin()
        let finished = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var seconds = 0.0 }
        let childCPU = Box()
        let thread = Thread {
            Workers.spin(seconds: 0.03)
            childCPU.seconds = Workers.cpuSeconds()
            finished.signal()
        }
        thread.start()
        finished.wait()
        // The child's count joins the parent's when the child exits; give it the moment to.
        MonotonicClock.sleep(seconds: 0.05)
        probe.end()
        let counted = try #require(probe.reading()["task-clock"]?.value)
        #expect(counted >= 0.9 * childCPU.seconds * 1e9, "\(counted) ns counted, child used \(childCPU.seconds) s")
    }
}
