/// Why a bench cannot run a model: it does not fit, or a test needs more context than it has.
public enum BenchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The memory plan refused the model; the detail has the sizes.
    case doesNotFit(model: String, detail: String)
    /// The model cannot be made in this weight type (a shape the type cannot hold, a bad preset).
    case cannotMake(model: String, detail: String)
    /// A test needs more positions than the model's context.
    case contextTooLong(model: String, needed: Int, limit: Int)
    /// A NUMA layout this machine or engine cannot apply.
    case numaLayout(String)
    /// A repetition measured no time or no tokens.
    case nothingTimed(model: String, test: String, tokens: Int)

    public var description: String {
        switch self {
        case let .doesNotFit(model, detail):
            return "\(model): \(detail)"
        case let .cannotMake(model, detail):
            return "\(model): \(detail)"
        case let .contextTooLong(model, needed, limit):
            return "\(model): the tests need \(needed) positions (largest -p, or --tg-prompt plus the largest -n) but the model's context is \(limit)"
        case let .numaLayout(text):
            return text
        case let .nothingTimed(model, test, tokens):
            return "\(model): \(test) timed nothing (\(tokens) tokens, or no time on the clock)"
        }
    }
}
