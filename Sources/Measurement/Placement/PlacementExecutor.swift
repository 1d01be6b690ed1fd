#if canImport(Glibc)
import Glibc
#endif

/// Carries out a `PlacementPlan` with libnuma on the live machine: allocates each replica with
/// its policy and writes its initial contents from pinned threads, so first touch happens where
/// the plan says.
public struct PlacementExecutor: Sendable {
    /// Writes a buffer's initial bytes: `(destination, offset of destination in the buffer)`.
    /// Called concurrently from several threads on disjoint ranges.
    public typealias Initializer = @Sendable (UnsafeMutableRawBufferPointer, Int) -> Void

    /// Zero-fills, which still faults every page in on the writing thread's node.
    public static let zeroFill: Initializer = { destination, _ in
        if let base = destination.baseAddress { memset(base, 0, destination.count) }
    }

    /// An executor.
    public init() {}

    /// Places every buffer of `plan`; `initializer(request)` gives each buffer's contents.
    public func place(_ plan: PlacementPlan,
                      initializer: (BufferRequest) -> Initializer = { _ in zeroFill }) throws -> [PlacedBuffer] {
        try plan.buffers.map { try place($0, workers: plan.workers, initializer: initializer($0.request)) }
    }

    /// Places one buffer for `workers` and writes its contents.
    public func place(_ buffer: BufferPlan, workers: [PinningPlan.Worker],
                      initializer: @escaping Initializer = zeroFill) throws -> PlacedBuffer {
        let bytes = buffer.request.bytes
        var allocations: [NUMAAllocation] = []
        for (index, replica) in buffer.replicas.enumerated() {
            let allocation: NUMAAllocation
            switch replica.policy {
            case .firstTouch:
                allocation = try NUMAAllocation(byteCount: bytes, policy: .firstTouch)
                let memory = allocation.bytes
                let slices = replica.slices
                try PinnedThreads.run(on: slices.map(\.cpu)) { item in
                    let slice = slices[item]
                    initializer(UnsafeMutableRawBufferPointer(rebasing: memory[slice.offset..<(slice.offset + slice.length)]), slice.offset)
                }
            case .bind, .interleave:
                allocation = try NUMAAllocation(byteCount: bytes,
                                                policy: replica.policy == .bind ? .node(replica.nodes[0]) : .interleave(replica.nodes))
                // The policy decides the node; the readers of this copy write it in parallel for speed.
                let readers = workers.enumerated().filter { buffer.readerReplica[$0.offset] == index }.map(\.element.cpu)
                try fill(allocation.bytes, cpus: readers.isEmpty ? workers.map(\.cpu) : readers, initializer: initializer)
            }
            allocations.append(allocation)
        }
        return PlacedBuffer(plan: buffer, replicas: allocations)
    }

    private func fill(_ memory: UnsafeMutableRawBufferPointer, cpus: [Int], initializer: @escaping Initializer) throws {
        let page = PageLocator.pageSize
        let pages = (memory.count + page - 1) / page
        let count = cpus.count
        try PinnedThreads.run(on: cpus) { index in
            let start = min(memory.count, pages * index / count * page)
            let end = min(memory.count, pages * (index + 1) / count * page)
            if start < end { initializer(UnsafeMutableRawBufferPointer(rebasing: memory[start..<end]), start) }
        }
    }
}
