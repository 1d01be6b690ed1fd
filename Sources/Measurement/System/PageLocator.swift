import CLibNUMA
#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel where pages are and which policy covers an address, without moving or
/// faulting anything in: move_pages(2) with a null node list only reports, and get_mempolicy(2)
/// with MPOL_F_ADDR alone reads the policy of the mapping.
public enum PageLocator {
    /// Where one page is.
    public enum PageStatus: Equatable, Sendable {
        /// Resident on this node.
        case node(Int)
        /// Never touched, so not backed by any node yet (move_pages status -ENOENT).
        case notPresent
        /// The kernel refused to say (another negative status), with its errno.
        case error(Int32)
    }

    /// The system page size (sysconf _SC_PAGESIZE).
    public static let pageSize: Int = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// The status of the page holding each address (move_pages with nodes = NULL, pid 0).
    public static func status(of addresses: [UnsafeRawPointer]) throws -> [PageStatus] {
        try LibNUMA.requireAvailable("move_pages")
        guard !addresses.isEmpty else { return [] }
        var pages: [UnsafeMutableRawPointer?] = addresses.map { UnsafeMutableRawPointer(mutating: $0) }
        var status = [Int32](repeating: Int32.min, count: addresses.count)
        let result = pages.withUnsafeMutableBufferPointer { pagePointers in
            status.withUnsafeMutableBufferPointer { statusPointer in
                move_pages(0, UInt(addresses.count), pagePointers.baseAddress, nil, statusPointer.baseAddress, 0)
            }
        }
        guard result >= 0 else { throw SystemError.current("move_pages", path: "\(addresses.count) pages") }
        return status.map { value in
            if value >= 0 { return .node(Int(value)) }
            if value == -ENOENT { return .notPresent }
            return .error(-value)
        }
    }

    /// The policy that governs the mapping at an address and its node set (get_mempolicy MPOL_F_ADDR).
    public static func policy(at address: UnsafeRawPointer) throws -> (mode: MemoryPolicyMode, nodes: [Int]) {
        try LibNUMA.requireAvailable("get_mempolicy")
        let bits = LibNUMA.nodeMaskBits
        var mask = [UInt](repeating: 0, count: (bits + 63) / 64)
        var mode: Int32 = -1
        let result = mask.withUnsafeMutableBufferPointer { words in
            get_mempolicy(&mode, words.baseAddress, UInt(bits), UnsafeMutableRawPointer(mutating: address),
                          UInt32(MPOL_F_ADDR))
        }
        guard result == 0 else { throw SystemError.current("get_mempolicy", path: "MPOL_F_ADDR") }
        guard let known = MemoryPolicyMode(kernelValue: mode) else {
            throw SystemError("get_mempolicy", path: "unknown mode \(mode)", errno: EINVAL)
        }
        var nodes: [Int] = []
        for (index, word) in mask.enumerated() where word != 0 {
            for bit in 0..<64 where word & (1 << UInt(bit)) != 0 { nodes.append(index * 64 + bit) }
        }
        return (known, nodes)
    }
}
