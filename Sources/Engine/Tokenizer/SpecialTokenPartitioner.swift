/// Finds special tokens written out in text before the tokenizer proper runs, as llama.cpp's
/// `tokenizer_st_partition` does: control, user-defined and unknown tokens, longest first; for
/// each token in turn, every occurrence in the remaining text pieces is cut out. Control and
/// unknown tokens are looked for only with special parsing on; user-defined ones always.
struct SpecialTokenPartitioner: Sendable {
    /// A piece of the input: raw text (a byte range) or a recognised token.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    private struct Candidate: Sendable {
        var id: Int
        var bytes: [UInt8]
        var alwaysParsed: Bool
    }

    private let candidates: [Candidate]

    init(vocabulary: Vocabulary) {
        var list: [Candidate] = []
        for id in 0..<vocabulary.count {
            let type = vocabulary.type(of: id)
            guard type == .control || type == .userDefined || type == .unknown else { continue }
            let bytes = Array(vocabulary.tokens[id].utf8)
            guard !bytes.isEmpty else { continue }
            list.append(Candidate(id: id, bytes: bytes, alwaysParsed: type == .userDefined))
        }
        // Longest first; equal lengths by id so the order is the same on every run.
        candidates = list.sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
    }

    /// Splits `text` into raw-text pieces and special tokens.
    func partition(_ text: [UInt8], parseSpecial: Bool) -> [Fragment] {
        guard !text.isEmpty else { return [] }
        var fragments: [Fragment] = [.text(0..<text.count)]
        for candidate in candidates where parseSpecial || candidate.alwaysParsed {
            var next: [Fragment] = []
            next.reserveCapacity(fragments.count + 2)
            var changed = false
            for fragment in fragments {
                guard case .text(let range) = fragment else {
                    next.append(fragment)
                    continue
                }
                var start = range.lowerBound
                while let match = Self.firstOccurrence(of: candidate.bytes, in: text, range: start..<range.upperBound) {
                    if match > start { next.append(.text(start..<match)) }
                    next.append(.token(candidate.id))
                    start = match + candidate.bytes.count
                    changed = true
                }
                if start < range.upperBound { next.append(.text(start..<range.upperBound)) }
            }
            if changed { fragments = next }
        }
        return fragments
    }

    private static func firstOccurrence(of needle: [UInt8], in haystack: [UInt8], range: Range<Int>) -> Int? {
        let count = needle.count
        guard count <= range.count else { return nil }
        let first = needle[0]
        var index = range.lowerBound
        let last = range.upperBound - count
        while index <= last {
            if haystack[index] == first {
                var matched = 1
                while matched < count, haystack[index + matched] == needle[matched] { matched += 1 }
                if matched == count { return index }
            }
            index += 1
        }
        return nil
    }
}
