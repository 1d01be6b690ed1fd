/// Turns generated token ids into text as they arrive, never splitting a UTF-8 character:
/// bytes of a character whose remaining bytes have not arrived yet (an emoji spread over
/// byte tokens, say) are held back until it is complete. Control tokens print nothing unless
/// `showSpecial` is set.
public struct TokenDecoder: Sendable {
    /// The tokenizer whose pieces are decoded.
    public let tokenizer: Tokenizer
    /// Whether control tokens print their text.
    public let showSpecial: Bool
    /// All text released so far (the concatenation of every `feed` result).
    public private(set) var text: String = ""
    private var pending: [UInt8] = []

    /// A decoder for `tokenizer`.
    public init(tokenizer: Tokenizer, showSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.showSpecial = showSpecial
    }

    /// Bytes held back because they end in an incomplete character.
    public var pendingByteCount: Int { pending.count }

    /// Adds token `id` and returns the text it completes (possibly empty). Bytes that can never
    /// become valid UTF-8 are released as U+FFFD right away.
    public mutating func feed(_ id: Int) -> String {
        pending.append(contentsOf: tokenizer.pieceBytes(id, special: showSpecial))
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let released = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        text += released
        return released
    }

    /// Releases whatever is held back (an unfinished character becomes U+FFFD) and returns it.
    public mutating func finish() -> String {
        guard !pending.isEmpty else { return "" }
        let released = String(decoding: pending, as: UTF8.self)
        pending.removeAll()
        text += released
        return released
    }

    /// Length of the longest prefix of `bytes` that does not end inside a character which
    /// later bytes could still complete.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        // Look back at most 3 bytes for the lead byte of the last character.
        var start = bytes.count
        var continuation = 0
        while start > 0, continuation < 3, bytes[start - 1] & 0xC0 == 0x80 {
            start -= 1
            continuation += 1
        }
        guard start > 0 else { return continuation == bytes.count && continuation > 0 ? bytes.count : 0 }
        let lead = bytes[start - 1]
        let needed: Int
        switch lead {
        case 0xC2...0xDF: needed = 1
        case 0xE0...0xEF: needed = 2
        case 0xF0...0xF4: needed = 3
        default: return bytes.count  // ASCII, stray continuation bytes or invalid lead: nothing to wait for
        }
        if continuation >= needed { return bytes.count }
        // The character is unfinished only if its bytes so far are a valid beginning.
        return isValidPrefix(bytes[(start - 1)...]) ? start - 1 : bytes.count
    }

    /// Whether `bytes` (a lead byte and some continuation bytes) can begin a valid character:
    /// the second byte's range depends on the lead (no overlongs, surrogates, or > U+10FFFF).
    private static func isValidPrefix(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let lead = bytes.first else { return false }
        guard bytes.count > 1 else { return true }
        let second = bytes[bytes.startIndex + 1]
        switch lead {
        case 0xE0: return (0xA0...0xBF).contains(second)
        case 0xED: return (0x80...0x9F).contains(second)
        case 0xF0: return (0x90...0xBF).contains(second)
        case 0xF4: return (0x80...0x8F).contains(second)
        default: return true
        }
    }
}
