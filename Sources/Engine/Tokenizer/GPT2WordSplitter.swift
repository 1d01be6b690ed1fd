/// The GPT-2 pre-tokenizer regex
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// as a hand-written scanner over one piece of text. The piece's ends act as the ends of the
/// text (lookahead does not see past them), matching llama.cpp `unicode_regex_split_custom_gpt2`.
struct GPT2WordSplitter {
    let scalars: [Unicode.Scalar]
    let flags: [CodepointFlags]
    let range: Range<Int>

    private func flag(_ position: Int) -> CodepointFlags {
        range.contains(position) ? flags[position] : .outOfRange
    }

    private func value(_ position: Int) -> UInt32? {
        range.contains(position) ? scalars[position].value : nil
    }

    func split(into output: inout [Range<Int>]) {
        let apostrophe: UInt32 = 0x27, space: UInt32 = 0x20
        var position = range.lowerBound
        func emit(_ end: Int) {
            if end > position { output.append(position..<end) }
            position = end
        }
        while position < range.upperBound {
            let current = scalars[position].value
            // 's 't 'm 'd, then 're 've 'll (case-sensitive here)
            if current == apostrophe, let next = value(position + 1) {
                if next == 0x73 || next == 0x74 || next == 0x6D || next == 0x64 {
                    emit(position + 2)
                    continue
                }
                if let third = value(position + 2),
                   (next == 0x72 && third == 0x65) || (next == 0x76 && third == 0x65) || (next == 0x6C && third == 0x6C) {
                    emit(position + 3)
                    continue
                }
            }
            let leadingSpace = current == space
            let first = leadingSpace ? flag(position + 1) : flags[position]
            // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+'
            let runClass: ((CodepointFlags) -> Bool)?
            if first.isLetter {
                runClass = { $0.isLetter }
            } else if first.isNumber {
                runClass = { $0.isNumber }
            } else if first.isOther {
                runClass = { $0.isOther }
            } else {
                runClass = nil
            }
            if let runClass {
                var end = position + (leadingSpace ? 1 : 0)
                while runClass(flag(end)) { end += 1 }
                emit(end)
                continue
            }
            var whitespaceCount = 0
            while flag(position + whitespaceCount).isWhitespace { whitespaceCount += 1 }
            // '\s+(?!\S)': leave the last space to start the next word, unless at the end
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
