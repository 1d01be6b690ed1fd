/// Which CPU each worker thread runs on, resolved from a pinning expression on one topology.
public struct PinningPlan: Codable, Equatable, Sendable {
    /// One worker's place.
    public struct Worker: Codable, Equatable, Sendable {
        /// Worker number (0 is the pool's calling thread).
        public var worker: Int
        /// Kernel CPU number.
        public var cpu: Int
        /// Index into `Topology.cores`.
        public var core: Int
        /// Package (socket).
        public var package: Int
        /// NUMA node of the CPU.
        public var node: Int
    }

    /// The expression as written.
    public var expression: String
    /// Workers in order.
    public var workers: [Worker]

    /// The CPUs in worker order.
    public var cpus: [Int] { workers.map(\.cpu) }
    /// NUMA nodes that host at least one worker, ascending.
    public var nodes: [Int] { Array(Set(workers.map(\.node))).sorted() }
    /// True when two workers share a physical core (SMT siblings).
    public var sharesCores: Bool { Set(workers.map(\.core)).count < workers.count }
}
