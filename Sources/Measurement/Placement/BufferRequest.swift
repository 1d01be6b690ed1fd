/// A buffer the engine needs placed: its name, size and role.
public struct BufferRequest: Codable, Equatable, Sendable {
    /// What the buffer holds, which decides whether it may be replicated.
    public enum Role: String, Codable, Sendable {
        /// Read-only during inference: may be replicated per node.
        case weights
        /// Written every token: one copy only, never replicated.
        case kvCache = "kv-cache"
    }

    /// A name for records, e.g. `blk.0.ffn_up.weight` or `kv-cache`.
    public var name: String
    /// Size in bytes (at least 1).
    public var bytes: Int
    /// Weights or KV cache.
    public var role: Role

    /// A request.
    public init(name: String, bytes: Int, role: Role) {
        self.name = name
        self.bytes = bytes
        self.role = role
    }
}
