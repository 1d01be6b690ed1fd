/// The planner's answer: bytes per part, the total, the memory available, and whether it fits.
public struct MemoryPlan: Sendable, Equatable {
    /// What was planned.
    public var input: MemoryPlanInput
    /// Resident weight bytes (distinct bytes when layers are aliased).
    public var weights: Int
    /// KV cache: 2 (K and V) x layers x context x kvHeads x headDim x bytes per element.
    public var kvCache: Int
    /// Activation buffers for one forward pass of `batch` tokens.
    public var activations: Int
    /// Per-thread scratch (partial sums, TL1/TL2 lookup tables, quantized activations).
    public var scratch: Int
    /// MemAvailable at planning time.
    public var available: Int
    /// Bytes left free for the OS and other processes.
    public var headroom: Int
    /// Options that would make a refused plan fit, each a short phrase naming the flag.
    public var suggestions: [String]

    /// weights + KV cache + activations + scratch.
    public var total: Int { weights + kvCache + activations + scratch }
    /// What the run may use: available minus headroom.
    public var budget: Int { max(0, available - headroom) }
    /// Budget left after the total (negative when it does not fit).
    public var slack: Int { budget - total }
    /// True when the total fits in the budget.
    public var fits: Bool { total <= budget }

    /// The verdict, with the refusal text when it does not fit.
    public var verdict: MemoryVerdict {
        fits ? .fits : .refused(refusalText)
    }

    /// One line with every part, for logs and reports.
    public var summary: String {
        "memory plan: weights \(gib(weights)), KV cache \(gib(kvCache)), activations \(gib(activations)), "
            + "scratch \(gib(scratch)) = \(gib(total)) of \(gib(budget)) usable "
            + "(MemAvailable \(gib(available)) minus \(gib(headroom)) headroom)"
    }

    /// The refusal: the numbers, then the options that would fit (or that none would).
    public var refusalText: String {
        var text = "the model does not fit in memory: it needs \(gib(total)) (weights \(gib(weights)), "
            + "KV cache \(gib(kvCache)) for \(input.context) tokens, activations \(gib(activations)), "
            + "scratch \(gib(scratch)) for \(input.threads) threads) but only \(gib(budget)) is usable "
            + "(MemAvailable \(gib(available)) minus \(gib(headroom)) headroom)."
        if suggestions.isEmpty {
            text += " No single option makes it fit: choose a smaller model."
        } else {
            text += " It would fit with: " + suggestions.joined(separator: "; ") + "."
        }
        return text
    }
}

/// Whether a plan fits; a refusal carries the text to show the user.
public enum MemoryVerdict: Sendable, Equatable {
    case fits
    case refused(String)
}

extension MemoryPlan {
    /// Formats bytes as GiB with two decimals ("23.31 GiB"), the unit of every planner message.
    public static func gibString(_ bytes: Int) -> String {
        let value = Double(bytes) / Double(1 << 30)
        let hundredths = (value * 100).rounded()
        let whole = Int(hundredths) / 100
        let fraction = Int(hundredths) % 100
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction) GiB"
    }
}

private func gib(_ bytes: Int) -> String { MemoryPlan.gibString(bytes) }
