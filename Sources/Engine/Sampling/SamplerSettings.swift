/// How the next token is chosen from the logits. Defaults are llama.cpp's common defaults
/// (temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no repetition penalty over the last 64).
public struct SamplerSettings: Sendable, Equatable, Codable {
    /// Softmax temperature; 0 or less means greedy (the highest logit, lowest id on ties).
    public var temperature: Float
    /// Keep only the k most likely tokens; 0 or less keeps all.
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all.
    public var topP: Float
    /// Drop tokens less likely than min-p times the most likely one; 0 keeps all.
    public var minP: Float
    /// Divide positive (multiply negative) logits of recently seen tokens by this; 1 is off.
    public var repeatPenalty: Float
    /// How many of the last tokens the penalty looks at; 0 is off, -1 means the whole history.
    public var repeatLastN: Int
    /// The random seed: the same seed and logits give the same tokens.
    public var seed: UInt64

    /// Settings with llama.cpp's defaults for anything not given.
    public init(temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
                repeatPenalty: Float = 1.0, repeatLastN: Int = 64, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.seed = seed
    }

    /// Always the most likely token.
    public static let greedy = SamplerSettings(temperature: 0)

    /// Whether sampling reduces to the argmax.
    public var isGreedy: Bool { temperature <= 0 }

    /// Checks every value's range; throws naming the option (as its command-line flag).
    public func validate() throws {
        guard temperature.isFinite, temperature >= 0 else {
            throw SamplerSettingsError("--temp must be a finite number >= 0 (0 is greedy), got \(temperature)")
        }
        guard topP.isFinite, topP > 0, topP <= 1 else {
            throw SamplerSettingsError("--top-p must be in (0, 1], got \(topP)")
        }
        guard minP.isFinite, minP >= 0, minP <= 1 else {
            throw SamplerSettingsError("--min-p must be in [0, 1], got \(minP)")
        }
        guard repeatPenalty.isFinite, repeatPenalty > 0 else {
            throw SamplerSettingsError("--repeat-penalty must be a finite number > 0 (1 is off), got \(repeatPenalty)")
        }
        guard repeatLastN >= -1 else {
            throw SamplerSettingsError("--repeat-last-n must be >= -1 (-1 is the whole history), got \(repeatLastN)")
        }
    }
}

/// A sampler setting out of range.
public struct SamplerSettingsError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, naming the flag.
    public var description: String
    init(_ description: String) { self.description = description }
}
