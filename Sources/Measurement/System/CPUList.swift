/// The kernel's list format for CPU and node sets (`0-3,8-11`, Documentation/admin-guide/cputopology.rst).
public enum CPUList {
    // Larger than any machine Linux supports (CONFIG_NR_CPUS tops out at 8192); it stops "0-4000000000".
    static let maximumID = 1 << 16

    /// Parses `0-3,8-11` into ascending, distinct ids. An empty text is the empty set.
    public static func parse(_ text: String) throws -> [Int] {
        let trimmed = text.strippingWhitespace()
        if trimmed.isEmpty { return [] }
        var ids = Set<Int>()
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2 else {
                throw CPUListError(text: text, problem: "'\(item)' is not a number or a range a-b")
            }
            let numbers = try bounds.map { part -> Int in
                guard let value = Int(part.strippingWhitespace()), value >= 0 else {
                    throw CPUListError(text: text, problem: "'\(part)' in '\(item)' is not a non-negative number")
                }
                guard value <= maximumID else {
                    throw CPUListError(text: text, problem: "\(value) is above the largest supported id \(maximumID)")
                }
                return value
            }
            let low = numbers[0], high = numbers.last!
            guard low <= high else {
                throw CPUListError(text: text, problem: "range '\(item)' runs backwards")
            }
            ids.formUnion(low...high)
        }
        return ids.sorted()
    }

    /// Parses a list that keeps the written order and repeats (`3,1,2`), as pinning lists need.
    public static func parseOrdered(_ text: String) throws -> [Int] {
        let trimmed = text.strippingWhitespace()
        guard !trimmed.isEmpty else { throw CPUListError(text: text, problem: "the list is empty") }
        var ids: [Int] = []
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let range = try parse(String(item))
            guard !range.isEmpty else { throw CPUListError(text: text, problem: "an empty item between commas") }
            ids.append(contentsOf: range)
        }
        return ids
    }

    /// Formats ids the kernel's way: ascending, runs collapsed to ranges (`0-3,8-11`).
    public static func format<S: Sequence>(_ ids: S) -> String where S.Element == Int {
        formatOrdered(Array(Set(ids)).sorted())
    }

    /// Formats ids in the given order, collapsing ascending runs (`3,0-2`), the inverse of `parseOrdered`.
    public static func formatOrdered(_ ids: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        while index < ids.count {
            var end = index
            while end + 1 < ids.count && ids[end + 1] == ids[end] + 1 { end += 1 }
            parts.append(end == index ? "\(ids[index])" : "\(ids[index])-\(ids[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}

/// A CPU or node list that does not follow the kernel's list format.
public struct CPUListError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The whole list as given.
    public var text: String
    /// What is wrong with it.
    public var problem: String
    /// `invalid CPU list "0-x": 'x' in '0-x' is not a non-negative number`.
    public var description: String { "invalid CPU list \"\(text)\": \(problem)" }
}
