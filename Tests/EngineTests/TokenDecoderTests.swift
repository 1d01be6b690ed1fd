import Testing
import Engine

/// The streaming detokenizer: every release is whole characters, even when a character's bytes
/// arrive in several tokens.
@Suite struct TokenDecoderTests {
    static let emojiText = "emoji 🎉👍🏽 and 👨‍👩‍👧‍👦 family"

    /// Feeds `ids` one at a time; returns the releases and the largest number of bytes held back.
    func stream(_ ids: [Int], _ tokenizer: Tokenizer) -> (releases: [String], maxPending: Int, final: String) {
        var decoder = tokenizer.makeDecoder()
        var releases: [String] = []
        var maxPending = 0
        for id in ids {
            releases.append(decoder.feed(id))
            maxPending = max(maxPending, decoder.pendingByteCount)
        }
        releases.append(decoder.finish())
        return (releases, maxPending, decoder.text)
    }

    @Test func byteFallbackEmojiStreamsWholeCharacters() throws {
        let tokenizer = try TokenizerFixtures.bitnetTiny.get()
        let ids = tokenizer.encode(Self.emojiText, addSpecial: true, parseSpecial: true)
        let result = stream(ids, tokenizer)
        #expect(result.maxPending >= 3, "an emoji's first bytes must be held back")
        #expect(result.releases.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") })
        // The leading space comes from the SentencePiece space prefix after BOS.
        #expect(result.final == " " + Self.emojiText)
        #expect(result.releases.joined() == result.final)
    }

    @Test func byteLevelBPEEmojiStreamsWholeCharacters() throws {
        let tokenizer = try TokenizerFixtures.smolLM2.get().tokenizer
        let ids = tokenizer.encode(Self.emojiText, addSpecial: false, parseSpecial: true)
        let result = stream(ids, tokenizer)
        #expect(result.maxPending > 0, "some emoji byte must arrive split from the rest")
        #expect(result.releases.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") })
        #expect(result.final == Self.emojiText)
    }

    @Test func controlTokensPrintOnlyWhenAsked() throws {
        let tokenizer = try TokenizerFixtures.smolLM2.get().tokenizer
        let ids = tokenizer.encode("<|im_start|>assistant\nHi<|im_end|>", addSpecial: false, parseSpecial: true)
        var hidden = tokenizer.makeDecoder()
        var shown = tokenizer.makeDecoder(showSpecial: true)
        for id in ids {
            _ = hidden.feed(id)
            _ = shown.feed(id)
        }
        #expect(hidden.text == "assistant\nHi")
        #expect(shown.text == "<|im_start|>assistant\nHi<|im_end|>")
    }

    @Test func bytesThatCanNeverBeValidAreReleasedAsReplacement() throws {
        let tokenizer = try TokenizerFixtures.bitnetTiny.get()
        // <0xFF> can never start a character; <0xE2> alone is held until finish().
        let ff = try #require((0..<tokenizer.vocabularySize).first { tokenizer.tokenText($0) == "<0xFF>" })
        let e2 = try #require((0..<tokenizer.vocabularySize).first { tokenizer.tokenText($0) == "<0xE2>" })
        var decoder = tokenizer.makeDecoder()
        #expect(decoder.feed(ff) == "\u{FFFD}")
        #expect(decoder.feed(e2) == "")
        #expect(decoder.pendingByteCount == 1)
        #expect(decoder.finish() == "\u{FFFD}")
    }
}
