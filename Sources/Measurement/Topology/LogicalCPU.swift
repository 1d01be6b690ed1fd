/// One online hardware thread as the kernel numbers it, with where it sits in the machine.
public struct LogicalCPU: Codable, Equatable, Hashable, Sendable {
    /// The kernel's CPU number (`cpuN`).
    public var id: Int
    /// `topology/physical_package_id`: the socket.
    public var package: Int
    /// `topology/die_id` (0 where the kernel has none).
    public var die: Int
    /// `topology/core_id`: the core's number inside its package (not unique across packages).
    public var coreID: Int
    /// Index into `Topology.cores`.
    public var core: Int
    /// This thread's rank among its core's online threads (0 = the first hardware thread).
    public var threadIndex: Int
    /// The NUMA node holding this CPU.
    public var node: Int
}
