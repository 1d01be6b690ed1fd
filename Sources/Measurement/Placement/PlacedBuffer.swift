/// A buffer placed by `PlacementExecutor`: the memory of each replica and which one each worker reads.
/// It owns its allocations; they are released when the last reference goes.
public final class PlacedBuffer: @unchecked Sendable {
    /// The plan it realises.
    public let plan: BufferPlan
    /// One allocation per `plan.replicas` entry, same order.
    public let replicas: [NUMAAllocation]

    init(plan: BufferPlan, replicas: [NUMAAllocation]) {
        self.plan = plan
        self.replicas = replicas
    }

    /// The bytes worker `worker` should read: its node's copy under `replicate`, else the only copy.
    public func memory(forWorker worker: Int) -> UnsafeMutableRawBufferPointer {
        replicas[plan.readerReplica[worker]].bytes
    }
}
