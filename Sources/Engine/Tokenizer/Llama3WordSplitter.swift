/// The Llama 3 pre-tokenizer regex
/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
/// as a hand-written scanner over one piece of text, matching llama.cpp
/// `unicode_regex_split_custom_llama3`. `maximumDigits` is the `{1,3}` bound.
struct Llama3WordSplitter {
    let scalars: [Unicode.Scalar]
    let flags: [CodepointFlags]
    let range: Range<Int>
    let maximumDigits: Int

    private func flag(_ position: Int) -> CodepointFlags {
        range.contains(position) ? flags[position] : .outOfRange
    }

    private func value(_ position: Int) -> UInt32? {
        range.contains(position) ? scalars[position].value : nil
    }

    /// ASCII lower-casing is enough: only ASCII letters lower-case to s, t, r, e, v, m, l, d.
    private func lowered(_ position: Int) -> UInt32? {
        guard let v = value(position) else { return nil }
        return (0x41...0x5A).contains(v) ? v + 0x20 : v
    }

    private static func isLineBreak(_ value: UInt32?) -> Bool { value == 0x0D || value == 0x0A }

    func split(into output: inout [Range<Int>]) {
        var position = range.lowerBound
        func emit(_ end: Int) {
            if end > position { output.append(position..<end) }
            position = end
        }
        while position < range.upperBound {
            let current = scalars[position].value
            let currentFlags = flags[position]
            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if current == 0x27, let next = lowered(position + 1) {
                if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 {
                    emit(position + 2)
                    continue
                }
                if let third = lowered(position + 2),
                   (next == 0x72 && third == 0x65) || (next == 0x76 && third == 0x65) || (next == 0x6C && third == 0x6C) {
                    emit(position + 3)
                    continue
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if !(Self.isLineBreak(current) || currentFlags.isNumber),
               currentFlags.isLetter || flag(position + 1).isLetter {
                var end = position + 1
                while flag(end).isLetter { end += 1 }
                emit(end)
                continue
            }
            // \p{N}{1,maximumDigits}
            if currentFlags.isNumber {
                var start = position
                var end = position
                while flag(end).isNumber {
                    end += 1
                    if end - start >= maximumDigits {
                        emit(end)
                        start = end
                    }
                }
                emit(end)
                continue
            }
            // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
            let leadingSpace = current == 0x20
            if (leadingSpace ? flag(position + 1) : currentFlags).isOther {
                var end = position + (leadingSpace ? 1 : 0)
                while flag(end).isOther { end += 1 }
                while Self.isLineBreak(value(end)) { end += 1 }
                emit(end)
                continue
            }
            var whitespaceCount = 0
            var lastLineBreakEnd = 0
            while flag(position + whitespaceCount).isWhitespace {
                if Self.isLineBreak(value(position + whitespaceCount)) {
                    lastLineBreakEnd = position + whitespaceCount + 1
                }
                whitespaceCount += 1
            }
            // \s*[\r\n]+
            if lastLineBreakEnd > 0 {
                emit(lastLineBreakEnd)
                continue
            }
            // \s+(?!\S)
            if whitespaceCount > 1, value(position + whitespaceCount) != nil {
                emit(position + whitespaceCount - 1)
                continue
            }
            if whitespaceCount > 0 {
                emit(position + whitespaceCount)
                continue
            }
            emit(position + 1)
        }
    }
}
