/// A counter list or event string that cannot be understood: a flag error, not a missing PMU.
public struct CounterConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong, naming the offending text.
    public var description: String

    /// Makes the error.
    public init(_ description: String) {
        self.description = description
    }
}
