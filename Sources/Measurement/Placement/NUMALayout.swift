/// Where weights and the KV cache live on a NUMA machine (`--numa local,interleave,bind:1,replicate`).
///
/// Encoded in records as its text form, e.g. `"bind:1"`.
public enum NUMALayout: Hashable, Sendable, Codable, CustomStringConvertible {
    /// No policy: each worker first-touches its own share, so pages land on the worker's node.
    case local
    /// Pages round-robin over these nodes (nil: every node with memory), like `numactl --interleave`.
    case interleave([Int]?)
    /// Every page on one node, like `numactl --membind`.
    case bind(Int)
    /// One copy of the weights per node that hosts workers; each worker reads its own node's copy.
    case replicate

    /// `local`, `interleave`, `interleave:0,1`, `bind:1`, `replicate`.
    public var description: String {
        switch self {
        case .local: return "local"
        case .interleave(nil): return "interleave"
        case .interleave(let nodes?): return "interleave:\(CPUList.format(nodes))"
        case .bind(let node): return "bind:\(node)"
        case .replicate: return "replicate"
        }
    }

    /// Parses the text form; the error names the text and what was expected.
    public static func parse(_ text: String) throws -> NUMALayout {
        let trimmed = text.strippingWhitespace().lowercased()
        func fail(_ problem: String) -> NUMALayoutError { NUMALayoutError(layout: text, problem: problem) }
        let name = trimmed.prefix { $0 != ":" }
        let argument = trimmed.contains(":") ? String(trimmed.drop { $0 != ":" }.dropFirst()) : nil
        switch (name, argument) {
        case ("local", nil): return .local
        case ("replicate", nil): return .replicate
        case ("interleave", nil): return .interleave(nil)
        case ("interleave", let list?):
            do {
                let nodes = try CPUList.parse(list)
                guard !nodes.isEmpty else { throw fail("interleave needs at least one node after ':'") }
                return .interleave(nodes)
            } catch let error as CPUListError {
                throw fail("node list: \(error.problem)")
            }
        case ("bind", let node?):
            guard let value = Int(node), value >= 0 else { throw fail("bind needs one node number, e.g. bind:0") }
            return .bind(value)
        case ("bind", nil):
            throw fail("bind needs a node, e.g. bind:0")
        case ("local", _?), ("replicate", _?):
            throw fail("\(name) takes no argument")
        default:
            throw fail("expected local, interleave[:nodes], bind:<node> or replicate")
        }
    }

    /// Decodes the text form.
    public init(from decoder: Decoder) throws {
        self = try NUMALayout.parse(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the text form.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A NUMA layout that cannot be parsed, does not fit the machine, or does not fit in memory.
public struct NUMALayoutError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The layout as written.
    public var layout: String
    /// What is wrong.
    public var problem: String
    /// `NUMA layout 'bind:3': node 3 does not exist (nodes: 0-1)`.
    public var description: String { "NUMA layout '\(layout)': \(problem)" }
}
