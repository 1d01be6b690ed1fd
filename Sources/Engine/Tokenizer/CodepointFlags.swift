/// The Unicode facts a pre-tokenizer asks about one code point: its general-category group
/// (\p{L}, \p{N}, \p{P}, …) and whether it is White_Space. These are the flags llama.cpp's
/// unicode.cpp keeps per code point (gen-unicode-data.py: category via \p{..}, whitespace via \s).
struct CodepointFlags: Sendable, Equatable {
    var rawValue: UInt8

    static let number: UInt8 = 1 << 0
    static let letter: UInt8 = 1 << 1
    static let separator: UInt8 = 1 << 2
    static let mark: UInt8 = 1 << 3
    static let punctuation: UInt8 = 1 << 4
    static let symbol: UInt8 = 1 << 5
    static let control: UInt8 = 1 << 6
    static let whitespace: UInt8 = 1 << 7

    /// Flags of a position outside the text being split: no category at all, so every
    /// "one or more of class X" loop stops there (llama.cpp returns empty flags out of range).
    static let outOfRange = CodepointFlags(rawValue: 0)

    var isNumber: Bool { rawValue & Self.number != 0 }
    var isLetter: Bool { rawValue & Self.letter != 0 }
    var isPunctuation: Bool { rawValue & Self.punctuation != 0 }
    var isWhitespace: Bool { rawValue & Self.whitespace != 0 }
    /// True for every real code point (each has a category; unassigned ones count as \p{C}).
    var isInRange: Bool { rawValue != 0 }
    /// Neither whitespace, letter nor number: the `[^\s\p{L}\p{N}]` class.
    var isOther: Bool { rawValue & (Self.whitespace | Self.letter | Self.number) == 0 && rawValue != 0 }

    /// The flags of `scalar`: ASCII from a small table, the rest from the scalar's properties
    /// (a table of the whole basic plane would cost ~20 ms to build on first use).
    static func of(_ scalar: Unicode.Scalar) -> CodepointFlags {
        let value = scalar.value
        if value < 0x80 { return CodepointFlags(rawValue: ascii[Int(value)]) }
        return compute(scalar)
    }

    private static let ascii: [UInt8] = (0..<0x80).map { compute(Unicode.Scalar(UInt8($0))).rawValue }

    private static func compute(_ scalar: Unicode.Scalar) -> CodepointFlags {
        let properties = scalar.properties
        var bits: UInt8
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            bits = letter
        case .decimalNumber, .letterNumber, .otherNumber:
            bits = number
        case .spaceSeparator, .lineSeparator, .paragraphSeparator:
            bits = separator
        case .nonspacingMark, .spacingMark, .enclosingMark:
            bits = mark
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            bits = punctuation
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            bits = symbol
        case .control, .format, .surrogate, .privateUse, .unassigned:
            bits = control
        @unknown default:
            bits = control
        }
        if properties.isWhitespace { bits |= whitespace }
        return CodepointFlags(rawValue: bits)
    }
}
