import Foundation

/// Parses the list flags of a sweep the way llama-bench does: comma-separated values, where an
/// integer value may be a range `first-last` (step 1), `first-last+step` or `first-last*factor`
/// (llama-bench's README, "-p 128-1024*2"). Errors name the flag and the text.
public enum SweepList {
    /// Ranges longer than this are refused: a typo must not start a sweep of millions of points.
    public static let maximumValues = 4096

    /// The strings of a comma list, trimmed; empty items are refused.
    public static func strings(_ text: String, flag: String) throws -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !items.isEmpty, !items.contains(where: \.isEmpty) else {
            throw BenchFlagError(flag: flag, text: text, expected: "a comma-separated list without empty items")
        }
        return items
    }

    /// The integers of a comma list with ranges, in the order written, each at least `minimum`.
    public static func integers(_ text: String, flag: String, minimum: Int = 0) throws -> [Int] {
        var values: [Int] = []
        for item in try strings(text, flag: flag) {
            values += try expand(item, flag: flag, text: text)
            guard values.count <= maximumValues else {
                throw BenchFlagError(flag: flag, text: text, expected: "at most \(maximumValues) values")
            }
        }
        if let bad = values.first(where: { $0 < minimum }) {
            throw BenchFlagError(flag: flag, text: text, expected: "values of at least \(minimum), found \(bad)")
        }
        return values
    }

    private static func expand(_ item: String, flag: String, text: String) throws -> [Int] {
        let expected = "integers or ranges such as 1-4, 128-1024*2, 1-9+4"
        if let single = Int(item) { return [single] }
        guard let dash = item.firstIndex(of: "-"), dash != item.startIndex else {
            throw BenchFlagError(flag: flag, text: text, expected: expected + ", found '\(item)'")
        }
        let first = item[..<dash]
        var rest = item[item.index(after: dash)...]
        var step: (multiply: Bool, amount: Int) = (false, 1)
        if let op = rest.firstIndex(where: { $0 == "+" || $0 == "*" }) {
            guard let amount = Int(rest[rest.index(after: op)...]) else {
                throw BenchFlagError(flag: flag, text: text, expected: expected + ", found '\(item)'")
            }
            step = (rest[op] == "*", amount)
            rest = rest[..<op]
        }
        guard let low = Int(first), let high = Int(rest), low <= high else {
            throw BenchFlagError(flag: flag, text: text, expected: expected + " (first <= last), found '\(item)'")
        }
        guard step.multiply ? step.amount >= 2 && low >= 1 : step.amount >= 1 else {
            throw BenchFlagError(flag: flag, text: text,
                                 expected: "a step of at least 1 (+) or a factor of at least 2 from a start of at least 1 (*), found '\(item)'")
        }
        var values: [Int] = []
        var value = low
        while value <= high {
            values.append(value)
            guard values.count <= maximumValues else {
                throw BenchFlagError(flag: flag, text: text, expected: "at most \(maximumValues) values")
            }
            value = step.multiply ? value * step.amount : value + step.amount
        }
        return values
    }
}

/// A sweep flag whose value cannot be used: names the flag, the text and what was expected.
public struct BenchFlagError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The flag as the user writes it (`-t`).
    public var flag: String
    /// The value given.
    public var text: String
    /// What would have been accepted.
    public var expected: String

    /// Makes the error.
    public init(flag: String, text: String, expected: String) {
        self.flag = flag
        self.text = text
        self.expected = expected
    }

    public var description: String { "\(flag) '\(text)': expected \(expected)" }
}
