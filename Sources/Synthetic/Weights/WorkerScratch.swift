/// One scratch buffer per worker, allocated once and freed with the owner.
final class WorkerScratch<Element>: @unchecked Sendable {
    private let buffers: [UnsafeMutablePointer<Element>]

    init(workers: Int, capacity: Int) {
        buffers = (0..<workers).map { _ in UnsafeMutablePointer<Element>.allocate(capacity: max(capacity, 1)) }
    }

    func buffer(_ worker: Int) -> UnsafeMutablePointer<Element> { buffers[worker] }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
