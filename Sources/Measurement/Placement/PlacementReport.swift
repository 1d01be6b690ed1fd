/// Where a placed buffer's pages actually are, beside where the plan put them.
public struct PlacementReport: Codable, Equatable, Sendable {
    /// The buffer's name.
    public var buffer: String
    /// Weights or KV cache.
    public var role: BufferRequest.Role
    /// The layout planned.
    public var layout: NUMALayout
    /// One check per replica.
    public var replicas: [ReplicaCheck]
    /// True when every sampled page of every replica is resident on a planned node.
    public var matches: Bool
    /// The plan's note that layouts are equivalent here, if it made one.
    public var equivalence: String?

    /// The check of one replica.
    public struct ReplicaCheck: Codable, Equatable, Sendable {
        /// Replica index.
        public var replica: Int
        /// The planned mechanism.
        public var policy: ReplicaPlan.Policy
        /// Nodes the pages should be on.
        public var expectedNodes: [Int]
        /// The kernel's policy for the mapping (get_mempolicy MPOL_F_ADDR), e.g. `bind`.
        public var kernelPolicy: String
        /// The node set of that policy.
        public var kernelPolicyNodes: [Int]
        /// Pages in the replica.
        public var pages: Int
        /// Pages queried with move_pages.
        public var pagesSampled: Int
        /// Sampled resident pages per node.
        public var pagesByNode: [NodePages]
        /// Sampled pages not yet backed by memory (never touched).
        public var notPresent: Int
        /// Sampled pages resident on a node the plan did not choose for them.
        public var misplaced: Int
        /// Planned interleave nodes that received none of the sampled pages.
        public var unusedNodes: [Int]
        /// Per-page errors move_pages returned, as `errno count` strings.
        public var queryErrors: [String]
        /// True when nothing is misplaced, missing or unused.
        public var matches: Bool
    }

    /// A page count on one node.
    public struct NodePages: Codable, Equatable, Sendable {
        /// Node number.
        public var node: Int
        /// Sampled pages found there.
        public var pages: Int
    }
}
