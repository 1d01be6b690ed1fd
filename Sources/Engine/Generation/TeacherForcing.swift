import Foundation

/// Teacher forcing (`bitbench eval`): feeds a token sequence and keeps, per position, the N
/// largest logits, plus the full logits after the last token and the log-likelihood of every
/// next token. Batch size does not change the numbers (each token's math is per row).
public struct TeacherForcingResult: Sendable, Equatable {
    /// One (id, logit) pair.
    public struct Entry: Sendable, Equatable {
        public var id: Int
        public var logit: Float
    }
    /// The tokens fed.
    public var ids: [Int]
    /// Per position, the `top` largest logits, largest first (ties to the lower id).
    public var top: [[Entry]]
    /// All logits after the last token.
    public var lastLogits: [Float]
    /// Σ -log p(ids[i+1] | ids[...i]) over i in 0..<ids.count-1, in double.
    public var negativeLogLikelihood: Double
    /// Tokens scored by `negativeLogLikelihood` (ids.count - 1).
    public var scoredTokens: Int

    /// exp(mean negative log-likelihood); nil when nothing was scored.
    public var perplexity: Double? {
        scoredTokens > 0 ? Foundation.exp(negativeLogLikelihood / Double(scoredTokens)) : nil
    }
}

extension InferenceSession {
    /// Feeds `ids` from an empty context and collects the top-`top` logits at every position.
    public func teacherForce(_ ids: [Int], top: Int) throws -> TeacherForcingResult {
        guard top >= 0 else { throw ModelError.invalidOption("--top must be 0 or more, got \(top)") }
        reset()
        var result = TeacherForcingResult(ids: ids, top: [], lastLogits: [], negativeLogLikelihood: 0, scoredTokens: 0)
        result.top.reserveCapacity(ids.count)
        try evaluate(ids) { index, logits in
            result.top.append(Self.largest(logits, count: top))
            if index + 1 < ids.count {
                result.negativeLogLikelihood -= Self.logSoftmax(logits, at: ids[index + 1])
                result.scoredTokens += 1
            } else {
                result.lastLogits = Array(logits)
            }
        }
        return result
    }

    /// Perplexity of a long token sequence: windows of the context length, each from an empty
    /// cache, scoring every token after the first of its window.
    public func perplexity(_ ids: [Int]) throws -> (perplexity: Double, scoredTokens: Int, windows: Int) {
        guard ids.count >= 2 else { throw ModelError.invalidOption("perplexity needs at least 2 tokens, got \(ids.count)") }
        var nll = 0.0, scored = 0, windows = 0
        var start = 0
        while start + 1 < ids.count {
            let window = Array(ids[start..<min(ids.count, start + contextLength)])
            reset()
            try evaluate(window) { index, logits in
                if index + 1 < window.count {
                    nll -= Self.logSoftmax(logits, at: window[index + 1])
                    scored += 1
                }
            }
            windows += 1
            start += window.count
        }
        return (Foundation.exp(nll / Double(scored)), scored, windows)
    }

    /// log softmax(logits)[target], summed in double.
    static func logSoftmax(_ logits: UnsafeBufferPointer<Float>, at target: Int) -> Double {
        var maximum = -Double.infinity
        for v in logits { maximum = max(maximum, Double(v)) }
        var sum = 0.0
        for v in logits { sum += Foundation.exp(Double(v) - maximum) }
        return Double(logits[target]) - maximum - Foundation.log(sum)
    }

    /// The `count` largest entries, largest first, ties to the lower id.
    static func largest(_ logits: UnsafeBufferPointer<Float>, count: Int) -> [TeacherForcingResult.Entry] {
        guard count > 0 else { return [] }
        var best: [TeacherForcingResult.Entry] = []
        best.reserveCapacity(count + 1)
        for (id, logit) in logits.enumerated() {
            if best.count == count, let last = best.last, !(logit > last.logit) { continue }
            var i = best.count
            while i > 0 && logit > best[i - 1].logit { i -= 1 }
            best.insert(TeacherForcingResult.Entry(id: id, logit: logit), at: i)
            if best.count > count { best.removeLast() }
        }
        return best
    }
}
