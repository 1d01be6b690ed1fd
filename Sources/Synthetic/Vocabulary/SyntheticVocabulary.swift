import GGUF

/// The small SentencePiece ("llama") vocabulary written into synthetic models so they run with
/// `bitbench run`: `<unk>`, `<s>`, `</s>`, the 256 byte-fallback pieces `<0x00>`...`<0xFF>`, then
/// merged pieces (SyntheticVocabularyPieces), then `<unused_N>` fillers up to the requested size.
/// Scores, types and special ids follow the bitnet-tiny fixture's GGUF (ids 0/1/2, BOS added).
public struct SyntheticVocabulary: Sendable, Equatable {
    /// Token strings, id order.
    public let tokens: [String]
    /// SentencePiece scores: 0 for special and byte pieces, -rank for merged pieces.
    public let scores: [Float]
    /// llama.cpp token types: 1 normal, 2 unknown, 3 control, 5 unused, 6 byte.
    public let tokenTypes: [Int32]

    /// Ids of `<unk>`, `<s>` (BOS) and `</s>` (EOS), as in the fixture.
    public static let unknownID = 0, bosID = 1, eosID = 2
    /// Special + byte pieces: the smallest vocabulary that can encode any text.
    public static let minimumSize = 3 + 256
    /// Special + byte + all built-in merged pieces.
    public static var builtInSize: Int { minimumSize + SyntheticVocabularyPieces.pieces.count }
    /// The default size: every built-in piece and no fillers.
    public static var defaultSize: Int { builtInSize }
    /// The largest vocabulary accepted (a 2^24-row embedding is already far beyond any real model).
    public static let maximumSize = 1 << 24

    /// Makes a vocabulary of exactly `size` tokens.
    public init(size: Int) throws {
        guard size >= Self.minimumSize, size <= Self.maximumSize else {
            throw SyntheticError.invalidValue(
                field: "--vocab", value: "\(size)",
                expected: "\(Self.minimumSize)...\(Self.maximumSize) (3 special tokens + 256 byte tokens at least)")
        }
        var tokens = ["<unk>", "<s>", "</s>"]
        var types: [Int32] = [2, 3, 3]
        tokens.reserveCapacity(size)
        for byte in 0..<256 {
            let hex = String(byte, radix: 16, uppercase: true)
            tokens.append("<0x\(hex.count == 1 ? "0" : "")\(hex)>")
            types.append(6)
        }
        var scores = [Float](repeating: 0, count: tokens.count)
        let pieces = SyntheticVocabularyPieces.pieces
        for rank in 0..<(size - tokens.count) {
            if rank < pieces.count {
                tokens.append(pieces[rank])
                types.append(1)
            } else {
                tokens.append("<unused_\(rank - pieces.count)>")
                types.append(5)
            }
            scores.append(-Float(rank))
        }
        self.tokens = tokens
        self.scores = scores
        self.tokenTypes = types
    }

    /// The `tokenizer.ggml.*` keys, in the fixture's order.
    public func metadataEntries() -> [(String, GGUFValue)] {
        [
            ("tokenizer.ggml.model", .string("llama")),
            ("tokenizer.ggml.pre", .string("default")),
            ("tokenizer.ggml.tokens", .array(elementType: .string, values: tokens.map { .string($0) })),
            ("tokenizer.ggml.scores", .array(elementType: .float32, values: scores.map { .float32($0) })),
            ("tokenizer.ggml.token_type", .array(elementType: .int32, values: tokenTypes.map { .int32($0) })),
            ("tokenizer.ggml.bos_token_id", .uint32(UInt32(Self.bosID))),
            ("tokenizer.ggml.eos_token_id", .uint32(UInt32(Self.eosID))),
            ("tokenizer.ggml.add_bos_token", .bool(true)),
            ("tokenizer.ggml.add_eos_token", .bool(false)),
        ]
    }
}
