/// A RAPL energy domain of one socket.
public struct RAPLDomain: Codable, Sendable, Hashable, Comparable {
    /// What the domain covers.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The whole package (cores, caches, uncore).
        case package
        /// The cores only (PP0); inside the package.
        case cores
        /// Uncore or graphics (PP1); inside the package.
        case uncore
        /// The DRAM attached to the socket (Intel servers).
        case dram
        /// The platform (PSys), beyond the package.
        case psys

        /// Maps the kernel's names: powercap `name` files and perf `energy-*` events.
        public init?(kernelName: String) {
            let name = kernelName.hasPrefix("energy-") ? String(kernelName.dropFirst(7)) : kernelName
            switch name {
            case "pkg", "package": self = .package
            case "core", "cores": self = .cores
            case "uncore", "gpu": self = .uncore
            case "dram", "ram": self = .dram
            case "psys": self = .psys
            default:
                if name.hasPrefix("package-") { self = .package } else { return nil }
            }
        }
    }

    /// What the domain covers.
    public var kind: Kind
    /// The socket (package) index.
    public var socket: Int

    /// Makes a domain.
    public init(kind: Kind, socket: Int) {
        self.kind = kind
        self.socket = socket
    }

    /// `package-0`, `dram-1`.
    public var name: String { "\(kind.rawValue)-\(socket)" }

    public static func < (a: RAPLDomain, b: RAPLDomain) -> Bool {
        let order = Kind.allCases
        if a.socket != b.socket { return a.socket < b.socket }
        return order.firstIndex(of: a.kind)! < order.firstIndex(of: b.kind)!
    }
}
