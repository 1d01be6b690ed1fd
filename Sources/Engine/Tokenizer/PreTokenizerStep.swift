/// One splitting rule of a pre-tokenizer: the GPT-2 regex, the Llama 3 regex, or a run of one
/// character class (`[class]{minimum,maximum}`); text between matches becomes its own piece,
/// as in llama.cpp's regex split (`unicode_regex_split_stl` and the custom splitters).
enum PreTokenizerStep: Sendable {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    case gpt2
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    case llama3(maximumDigits: Int)
    /// Runs of one class, matched leftmost and greedily up to `maximum`.
    case classRun(CharacterClass, minimum: Int, maximum: Int)

    /// The character classes the regex lists use.
    enum CharacterClass: Sendable {
        /// `\p{N}`
        case number
        /// `[0-9]`
        case asciiDigit
        /// `[\p{P}\$\+<=>\^~\|]`: ASCII punctuation and operators except the backtick, plus
        /// non-ASCII punctuation (llama.cpp's collapsed \p{P} keeps ASCII `!-#%-*,-/:-;?-@[-]_{}`).
        case punctuationAndOperators
        /// The same class with the backtick (falcon).
        case punctuationOperatorsAndBacktick

        func contains(_ scalar: Unicode.Scalar, _ flags: CodepointFlags) -> Bool {
            let value = scalar.value
            switch self {
            case .number:
                return flags.isNumber
            case .asciiDigit:
                return value >= 0x30 && value <= 0x39
            case .punctuationAndOperators, .punctuationOperatorsAndBacktick:
                if value < 0x80 {
                    if value == 0x60 { return self == .punctuationOperatorsAndBacktick }
                    return (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value)
                        || (0x5B...0x5E).contains(value) || value == 0x5F || (0x7B...0x7E).contains(value)
                }
                return flags.isPunctuation && !flags.isWhitespace
            }
        }
    }

    /// Appends the pieces of `range` to `output`.
    func split(_ range: Range<Int>, scalars: [Unicode.Scalar], flags: [CodepointFlags],
               into output: inout [Range<Int>]) {
        switch self {
        case .gpt2:
            GPT2WordSplitter(scalars: scalars, flags: flags, range: range).split(into: &output)
        case .llama3(let maximumDigits):
            Llama3WordSplitter(scalars: scalars, flags: flags, range: range, maximumDigits: maximumDigits)
                .split(into: &output)
        case .classRun(let characterClass, let minimum, let maximum):
            var gapStart = range.lowerBound
            var position = range.lowerBound
            while position < range.upperBound {
                var runEnd = position
                while runEnd < range.upperBound, runEnd - position < maximum,
                      characterClass.contains(scalars[runEnd], flags[runEnd]) {
                    runEnd += 1
                }
                if runEnd - position >= minimum, runEnd > position {
                    if gapStart < position { output.append(gapStart..<position) }
                    output.append(position..<runEnd)
                    position = runEnd
                    gapStart = runEnd
                } else {
                    position += 1
                }
            }
            if gapStart < range.upperBound { output.append(gapStart..<range.upperBound) }
        }
    }
}
