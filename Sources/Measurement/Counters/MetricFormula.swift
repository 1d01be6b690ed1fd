/// A derived-metric formula: numbers, names, + - * / and parentheses.
///
/// Names may contain letters, digits, `_ . : -`, so `LLC-load-misses / tokens` reads as one name
/// divided by another: write binary minus with spaces around it. `{…}` quotes any other name.
public struct MetricFormula: Sendable, Equatable, CustomStringConvertible {
    indirect enum Node: Sendable, Equatable {
        case number(Double)
        case name(String)
        case negate(Node)
        case binary(Character, Node, Node)
    }

    /// The formula as written.
    public let text: String
    let root: Node

    public var description: String { text }

    /// Parses `text`; throws `CounterConfigurationError` naming the position of the problem.
    public init(_ text: String) throws {
        self.text = text
        var parser = Parser(chars: Array(text), text: text)
        root = try parser.parseExpression()
        parser.skipSpaces()
        guard parser.index == parser.chars.count else {
            throw parser.error("unexpected '\(parser.chars[parser.index])'")
        }
    }

    /// Every name the formula uses, in order of first use.
    public var names: [String] {
        var seen: [String] = []
        func walk(_ node: Node) {
            switch node {
            case .number: break
            case .name(let n): if !seen.contains(n) { seen.append(n) }
            case .negate(let a): walk(a)
            case .binary(_, let a, let b): walk(a); walk(b)
            }
        }
        walk(root)
        return seen
    }

    /// Evaluates with `lookup` giving each name's value or the reason it has none; the first
    /// missing input or a division by zero makes the result unavailable, with that reason.
    public func evaluate(_ lookup: (String) -> Known<Double>) -> Known<Double> {
        func eval(_ node: Node) -> Known<Double> {
            switch node {
            case .number(let v): return .known(v)
            case .name(let n):
                switch lookup(n) {
                case .known(let v): return .known(v)
                case .unknown(let why): return .unknown("needs \(n): \(why)")
                }
            case .negate(let a):
                guard case .known(let v) = eval(a) else { return eval(a) }
                return .known(-v)
            case .binary(let op, let a, let b):
                let left = eval(a)
                guard case .known(let x) = left else { return left }
                let right = eval(b)
                guard case .known(let y) = right else { return right }
                switch op {
                case "+": return .known(x + y)
                case "-": return .known(x - y)
                case "*": return .known(x * y)
                default:
                    if y == 0 { return .unknown("division by zero (\(Self.render(b)) is 0)") }
                    return .known(x / y)
                }
            }
        }
        return eval(root)
    }

    static func render(_ node: Node) -> String {
        switch node {
        case .number(let v): return "\(v)"
        case .name(let n): return n
        case .negate(let a): return "-\(render(a))"
        case .binary(let op, let a, let b): return "(\(render(a)) \(op) \(render(b)))"
        }
    }

    private struct Parser {
        let chars: [Character]
        let text: String
        var index = 0

        func error(_ message: String) -> CounterConfigurationError {
            CounterConfigurationError("formula '\(text)', character \(index + 1): \(message)")
        }

        mutating func skipSpaces() {
            while index < chars.count && chars[index].isWhitespace { index += 1 }
        }

        mutating func parseExpression() throws -> Node {
            var node = try parseTerm()
            while true {
                skipSpaces()
                guard index < chars.count, chars[index] == "+" || chars[index] == "-" else { return node }
                let op = chars[index]
                index += 1
                node = .binary(op, node, try parseTerm())
            }
        }

        mutating func parseTerm() throws -> Node {
            var node = try parseFactor()
            while true {
                skipSpaces()
                guard index < chars.count, chars[index] == "*" || chars[index] == "/" else { return node }
                let op = chars[index]
                index += 1
                node = .binary(op, node, try parseFactor())
            }
        }

        static func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
        static func isNameChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || "_.:".contains(c) }

        mutating func parseFactor() throws -> Node {
            skipSpaces()
            guard index < chars.count else { throw error("expected a number, name or '('") }
            let c = chars[index]
            if c == "(" {
                index += 1
                let inner = try parseExpression()
                skipSpaces()
                guard index < chars.count, chars[index] == ")" else { throw error("expected ')'") }
                index += 1
                return inner
            }
            if c == "-" {
                index += 1
                return .negate(try parseFactor())
            }
            if c == "{" {
                guard let close = chars[index...].firstIndex(of: "}") else { throw error("'{' is not closed") }
                let name = String(chars[(index + 1)..<close])
                index = close + 1
                return .name(name)
            }
            if c.isNumber || c == "." {
                let start = index
                while index < chars.count, chars[index].isNumber || chars[index] == "." || chars[index] == "e"
                        || ((chars[index] == "+" || chars[index] == "-") && index > start && chars[index - 1] == "e") {
                    index += 1
                }
                guard let value = Double(String(chars[start..<index])) else {
                    throw error("'\(String(chars[start..<index]))' is not a number")
                }
                return .number(value)
            }
            if Self.isNameStart(c) {
                let start = index
                while index < chars.count {
                    let d = chars[index]
                    if Self.isNameChar(d) {
                        index += 1
                    } else if d == "-", index + 1 < chars.count, Self.isNameChar(chars[index + 1]) {
                        index += 1  // a hyphen inside a name such as LLC-load-misses
                    } else {
                        break
                    }
                }
                return .name(String(chars[start..<index]))
            }
            throw error("unexpected '\(c)'")
        }
    }
}
