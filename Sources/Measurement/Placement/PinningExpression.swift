/// A thread-pinning request as users write it: `compact`, `scatter`, an explicit CPU list
/// (`0-3,8-11`), or likwid-style domain expressions (`N:0-3`, `S0:0-7@S1:0-7`, `E:N:8:1:2`).
public enum PinningExpression: Equatable, Sendable, CustomStringConvertible {
    /// likwid's `N:` order: every physical core, package after package (so node after node),
    /// then the second hardware threads in the same order. Workers share a core only when
    /// there are more workers than cores.
    case compact
    /// Spread over NUMA nodes round-robin (alternating packages); physical cores before SMT siblings.
    case scatter
    /// These kernel CPU numbers, in this order.
    case list([Int])
    /// Selections from affinity domains, joined with `@`, in order.
    case domains([DomainSelection])

    /// What one `@`-separated part of a domain expression selects.
    public struct DomainSelection: Equatable, Sendable, CustomStringConvertible {
        /// How CPUs are picked inside the domain.
        public enum Pick: Equatable, Sendable {
            /// `S0:0-3`: these logical indices, physical cores first.
            case indices([Int])
            /// `E:S0:count:chunk:stride`: `count` CPUs, `chunk` at a time, every `stride`, threads adjacent.
            case every(count: Int, chunk: Int, stride: Int)
        }

        /// The domain.
        public var domain: AffinityDomain
        /// The pick inside it.
        public var pick: Pick

        /// The text form, e.g. `S0:0-3` or `E:N:8:1:2`.
        public var description: String {
            switch pick {
            case .indices(let indices): return "\(domain):\(CPUList.formatOrdered(indices))"
            case .every(let count, let chunk, let stride): return "E:\(domain):\(count):\(chunk):\(stride)"
            }
        }
    }

    /// The canonical text form.
    public var description: String {
        switch self {
        case .compact: return "compact"
        case .scatter: return "scatter"
        case .list(let cpus): return CPUList.formatOrdered(cpus)
        case .domains(let parts): return parts.map(\.description).joined(separator: "@")
        }
    }

    /// Parses an expression; the error names the expression and the part that is wrong.
    public static func parse(_ text: String) throws -> PinningExpression {
        let trimmed = text.strippingWhitespace()
        func fail(_ problem: String) -> PinningError { PinningError(expression: text, problem: problem) }
        switch trimmed.lowercased() {
        case "": throw fail("the expression is empty")
        case "compact": return .compact
        case "scatter": return .scatter
        default: break
        }
        guard trimmed.contains(":") else {
            do {
                return .list(try CPUList.parseOrdered(trimmed))
            } catch let error as CPUListError {
                throw fail("not compact, scatter, a CPU list or a domain expression: \(error.problem)")
            }
        }
        var parts: [DomainSelection] = []
        for part in trimmed.split(separator: "@", omittingEmptySubsequences: false) {
            parts.append(try parseSelection(part, fail: fail))
        }
        return .domains(parts)
    }

    private static func parseSelection(_ part: Substring, fail: (String) -> PinningError) throws -> DomainSelection {
        let fields = part.split(separator: ":", omittingEmptySubsequences: false)
        if fields.first == "E" {
            guard fields.count == 3 || fields.count == 5 else {
                throw fail("'\(part)' must be E:<domain>:<count> or E:<domain>:<count>:<chunk>:<stride>")
            }
            guard let domain = AffinityDomain(fields[1]) else {
                throw fail("'\(fields[1])' in '\(part)' is not a domain (N, S<k>, D<k>, M<k>, C<k>)")
            }
            let numbers = fields.dropFirst(2).map { Int($0) }
            guard numbers.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw fail("count, chunk and stride in '\(part)' must be positive integers")
            }
            let values = numbers.map { $0! }
            let chunk = values.count == 3 ? values[1] : 1
            let stride = values.count == 3 ? values[2] : 1
            guard stride >= chunk else { throw fail("stride \(stride) in '\(part)' is smaller than chunk \(chunk)") }
            return DomainSelection(domain: domain, pick: .every(count: values[0], chunk: chunk, stride: stride))
        }
        guard fields.count == 2 else { throw fail("'\(part)' must be <domain>:<list>, e.g. S0:0-3") }
        guard let domain = AffinityDomain(fields[0]) else {
            throw fail("'\(fields[0])' in '\(part)' is not a domain (N, S<k>, D<k>, M<k>, C<k>)")
        }
        do {
            return DomainSelection(domain: domain, pick: .indices(try CPUList.parseOrdered(String(fields[1]))))
        } catch let error as CPUListError {
            throw fail("index list in '\(part)': \(error.problem)")
        }
    }
}

/// A pinning expression that cannot be parsed or does not fit the machine.
public struct PinningError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The expression as the user wrote it.
    public var expression: String
    /// What is wrong, in terms of the machine where that matters.
    public var problem: String
    /// `pinning expression 'S2:0-3': socket 2 does not exist (sockets: 0-1)`.
    public var description: String { "pinning expression '\(expression)': \(problem)" }
}
