import CLibNUMA
#if canImport(Glibc)
import Glibc
#endif

/// Page-aligned memory with one owner: mapped in `init`, unmapped in `deinit`. Bound and
/// interleaved memory comes from libnuma, whose policy is checked with get_mempolicy right away
/// because libnuma reports a failed mbind inside numa_alloc_onnode only on stderr.
///
/// First-touch memory is a plain anonymous mmap: libnuma's numa_alloc touches every page on
/// the calling thread (measured with move_pages: all pages resident right after the call),
/// which would place them before the pinned workers get to touch them.
public final class NUMAAllocation: @unchecked Sendable {
    /// How the pages of an allocation are to be placed.
    public enum Policy: Equatable, Sendable, CustomStringConvertible {
        /// No policy: each page goes where it is first touched (anonymous mmap).
        case firstTouch
        /// All pages on one node (numa_alloc_onnode).
        case node(Int)
        /// Pages round-robin over these nodes (numa_alloc_interleaved_subset).
        case interleave([Int])

        /// `first-touch`, `bind:1`, `interleave:0-3`.
        public var description: String {
            switch self {
            case .firstTouch: return "first-touch"
            case .node(let node): return "bind:\(node)"
            case .interleave(let nodes): return "interleave:\(CPUList.format(nodes))"
            }
        }
    }

    /// The first byte.
    public let base: UnsafeMutableRawPointer
    /// Bytes asked for (the mapping is rounded up to whole pages).
    public let byteCount: Int
    /// The policy the pages were allocated with.
    public let policy: Policy

    /// The memory as a buffer.
    public var bytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: byteCount) }

    /// Allocates `byteCount` bytes (at least 1) with `policy`. No page is touched here.
    public init(byteCount: Int, policy: Policy) throws {
        let operation: String
        switch policy {
        case .firstTouch: operation = "mmap"
        case .node: operation = "numa_alloc_onnode"
        case .interleave: operation = "numa_alloc_interleaved_subset"
        }
        try LibNUMA.requireAvailable(operation)
        guard byteCount > 0 else { throw SystemError(operation, path: "0 bytes", errno: EINVAL) }
        // mbind would refuse an absent node with EINVAL too, but libnuma would also print to stderr.
        let known = try LibNUMA.nodes()
        var asked: [Int] = []
        if case .node(let node) = policy { asked = [node] }
        if case .interleave(let nodes) = policy { asked = nodes }
        for node in asked where !known.contains(node) {
            throw SystemError(operation, path: "node \(node) (nodes: \(CPUList.format(known)))", errno: EINVAL)
        }
        errno = 0
        let pointer: UnsafeMutableRawPointer?
        switch policy {
        case .firstTouch:
            let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            pointer = mapped == MAP_FAILED ? nil : mapped
        case .node(let node):
            pointer = numa_alloc_onnode(byteCount, Int32(node))
        case .interleave(let nodes):
            guard !nodes.isEmpty, let mask = numa_allocate_nodemask() else {
                throw SystemError(operation, path: "no nodes", errno: EINVAL)
            }
            defer { numa_bitmask_free(mask) }
            for node in nodes {
                guard node >= 0 && node < Int(mask.pointee.size) else {
                    throw SystemError(operation, path: "node \(node)", errno: EINVAL)
                }
                numa_bitmask_setbit(mask, UInt32(node))
            }
            pointer = numa_alloc_interleaved_subset(byteCount, mask)
        }
        guard let pointer else { throw SystemError.current(operation, path: "\(byteCount) bytes, \(policy)") }
        do {
            try NUMAAllocation.verify(policy, at: pointer, operation: operation)
        } catch {
            munmap(pointer, byteCount)
            throw error
        }
        self.base = pointer
        self.byteCount = byteCount
        self.policy = policy
    }

    // numa_free is munmap; both paths release the whole mapping.
    deinit { munmap(base, byteCount) }

    // A policy that did not take would make every later measurement of this layout a lie.
    private static func verify(_ policy: Policy, at base: UnsafeMutableRawPointer, operation: String) throws {
        let expected: (MemoryPolicyMode, [Int])?
        switch policy {
        case .firstTouch: expected = nil
        case .node(let node): expected = (.bind, [node])
        case .interleave(let nodes): expected = (.interleave, nodes.sorted())
        }
        guard let expected else { return }
        let actual = try PageLocator.policy(at: base)
        guard actual.mode == expected.0 && actual.nodes == expected.1 else {
            throw SystemError(operation, path: "asked \(policy), kernel has \(actual.mode.name) on nodes \(CPUList.format(actual.nodes))",
                              errno: EINVAL)
        }
    }
}
