import Foundation

/// Runs one closure per CPU on a fresh thread pinned to that CPU, and waits for all of them.
///
/// First-touch placement needs the touching thread on the right CPU; the engine's own worker
/// pool can take this role later, this is the stand-alone path the placement layer uses.
public enum PinnedThreads {
    /// Calls `body(index)` on a thread pinned to `cpus[index]`, for every index; rethrows the
    /// error of the lowest failing index after all threads have finished. `body` must be safe
    /// to call from several threads at once.
    public static func run(on cpus: [Int], _ body: @escaping (Int) throws -> Void) throws {
        let shared = SharedRun(body)
        let group = DispatchGroup()
        for (index, cpu) in cpus.enumerated() {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    try CPUAffinity.pinCurrentThread(to: cpu)
                    try shared.body(index)
                } catch {
                    shared.record(error, at: index)
                }
            }
            thread.name = "bitbench-pinned-\(cpu)"
            thread.start()
        }
        group.wait()
        if let error = shared.firstFailure() { throw error }
    }

    // The closure and the failures, shared by the threads; the lock guards `failures`.
    private final class SharedRun: @unchecked Sendable {
        let body: (Int) throws -> Void
        private let lock = NSLock()
        private var failures: [Int: Error] = [:]

        init(_ body: @escaping (Int) throws -> Void) { self.body = body }

        func record(_ error: Error, at index: Int) {
            lock.lock()
            failures[index] = error
            lock.unlock()
        }

        func firstFailure() -> Error? {
            lock.lock()
            defer { lock.unlock() }
            return failures.keys.min().map { failures[$0]! }
        }
    }
}
