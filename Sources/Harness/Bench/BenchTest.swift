/// One llama-bench test: `pp N` processes an N-token prompt in batches; `tg N` generates N
/// tokens (N decode runs) after a short prompt.
public struct BenchTest: Sendable, Equatable, Hashable {
    /// Prompt processing or text generation.
    public enum Kind: String, Sendable, Codable {
        case pp, tg
    }

    /// The kind.
    public var kind: Kind
    /// Tokens processed (pp) or generated (tg).
    public var tokens: Int

    /// Makes a test.
    public init(kind: Kind, tokens: Int) {
        self.kind = kind
        self.tokens = tokens
    }

    /// "pp512", "tg128", as llama-bench names them.
    public var name: String { "\(kind.rawValue)\(tokens)" }
}
