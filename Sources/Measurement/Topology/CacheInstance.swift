/// One cache: its level, kind, size and the online CPUs that share it (`cpuN/cache/indexK`).
public struct CacheInstance: Codable, Equatable, Hashable, Sendable {
    /// What a cache holds (`cache/indexK/type`).
    public enum Kind: String, Codable, Sendable, Comparable {
        /// Data only (L1d).
        case data = "Data"
        /// Instructions only (L1i).
        case instruction = "Instruction"
        /// Both.
        case unified = "Unified"

        /// L1d, L1i, L2: the short label tools print.
        func label(level: Int) -> String {
            switch self {
            case .data: return "L\(level)d"
            case .instruction: return "L\(level)i"
            case .unified: return "L\(level)"
            }
        }

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    /// 1, 2, 3 …
    public var level: Int
    /// Data, instruction or unified.
    public var kind: Kind
    /// Capacity in bytes, or nil where the kernel does not say (some ARM firmware).
    public var sizeBytes: Int?
    /// `coherency_line_size`, when given.
    public var lineBytes: Int?
    /// `ways_of_associativity`, when given.
    public var ways: Int?
    /// The online CPUs sharing this instance, ascending.
    public var cpus: [Int]

    /// `L1d`, `L2`, `L3`.
    public var label: String { kind.label(level: level) }
}
