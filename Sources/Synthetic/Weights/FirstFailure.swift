import Foundation

/// Keeps the first error thrown inside a parallel loop, so the loop can stop and rethrow it.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?

    var happened: Bool {
        lock.lock(); defer { lock.unlock() }
        return error != nil
    }

    func record(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }

    func rethrow() throws {
        lock.lock(); defer { lock.unlock() }
        if let error { throw error }
    }
}
