/// A physical core: the online hardware threads that share its execution units.
public struct CPUCore: Codable, Equatable, Hashable, Sendable {
    /// Index into `Topology.cores`, in (package, die, core id) order.
    public var index: Int
    /// The package (socket) holding it.
    public var package: Int
    /// The die inside the package.
    public var die: Int
    /// `topology/core_id`.
    public var coreID: Int
    /// Its online hardware threads, ascending (`topology/thread_siblings_list` restricted to online CPUs).
    public var cpus: [Int]
}
