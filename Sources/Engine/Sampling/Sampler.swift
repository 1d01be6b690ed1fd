/// Chooses the next token from logits as llama.cpp's default sampler chain does: repetition
/// penalty over the recent history, then top-k, top-p, min-p, temperature, and a weighted draw
/// (llama.cpp common_sampler, order "kpmt"); temperature 0 is the argmax. Draws use
/// xoshiro256** and platform-independent arithmetic, so a seed reproduces its tokens anywhere.
public struct Sampler: Sendable {
    /// The settings in force.
    public let settings: SamplerSettings
    private var generator: Xoshiro256StarStar
    private var working: [Float] = []
    private var candidates: [Candidate] = []
    private var bucketSums: [Double] = []

    private struct Candidate {
        var id: Int
        var logit: Float
        var weight: Double = 0   // e^(logit - max logit), before temperature
    }

    /// A sampler seeded with `settings.seed`.
    public init(settings: SamplerSettings) {
        self.settings = settings
        self.generator = Xoshiro256StarStar(seed: settings.seed)
    }

    /// Picks a token from `logits` (one per vocabulary entry). `history` is every token so far
    /// (prompt and generated); the penalty looks at its last `repeatLastN`.
    public mutating func sample(logits: UnsafeBufferPointer<Float>, history: [Int]) -> Int {
        precondition(!logits.isEmpty, "sampling needs at least one logit")
        let penalized = settings.repeatPenalty != 1 && settings.repeatLastN != 0 && !history.isEmpty
        if settings.isGreedy && !penalized { return Self.argmax(logits) }
        working.removeAll(keepingCapacity: true)
        working.append(contentsOf: logits)
        applyRepeatPenalty(history: history)
        if settings.isGreedy { return Self.argmax(working) }

        selectTopK()
        guard !candidates.isEmpty else { return Self.argmax(working) }  // every logit NaN
        let maxLogit = candidates.reduce(-Float.infinity) { max($0, $1.logit) }
        let filters = settings.topP < 1 || settings.minP > 0
        if filters {
            for index in candidates.indices {
                candidates[index].weight = PortableExponential.exp(Double(candidates[index].logit) - Double(maxLogit))
            }
            applyTopP()
            applyMinP()
        }
        if candidates.count == 1 { return candidates[0].id }

        // Temperature rescales the surviving logits: weight^(1/T) = e^((logit - max)/T).
        var total = 0.0
        if filters && settings.temperature == 1 {
            total = candidates.reduce(0.0) { $0 + $1.weight }
        } else {
            let inverseTemperature = 1.0 / Double(settings.temperature)
            for index in candidates.indices {
                let scaled = PortableExponential.exp((Double(candidates[index].logit) - Double(maxLogit)) * inverseTemperature)
                candidates[index].weight = scaled
                total += scaled
            }
        }
        guard total > 0, total.isFinite else { return candidates[0].id }
        let target = generator.nextUnitInterval() * total
        var cumulative = 0.0
        for candidate in candidates {
            cumulative += candidate.weight
            if target < cumulative { return candidate.id }
        }
        return candidates[candidates.count - 1].id
    }

    /// Convenience for an array of logits.
    public mutating func sample(logits: [Float], history: [Int]) -> Int {
        logits.withUnsafeBufferPointer { sample(logits: $0, history: history) }
    }

    /// The index of the largest value, lowest index on ties; NaN never wins.
    public static func argmax(_ values: [Float]) -> Int {
        values.withUnsafeBufferPointer { argmax($0) }
    }

    /// The index of the largest value, lowest index on ties; NaN never wins.
    public static func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        var bestValue = -Float.infinity
        var found = false
        for (index, value) in values.enumerated() where value > bestValue || (!found && !value.isNaN) {
            best = index
            bestValue = value
            found = true
        }
        return best
    }

    // MARK: - Steps

    /// llama.cpp penalties: each distinct token among the last N has its logit divided by the
    /// penalty if positive, multiplied if not.
    private mutating func applyRepeatPenalty(history: [Int]) {
        let penalty = settings.repeatPenalty
        guard penalty != 1, settings.repeatLastN != 0, !history.isEmpty else { return }
        let window = settings.repeatLastN < 0 ? history[...] : history.suffix(settings.repeatLastN)
        var seen = Set<Int>()
        for id in window where working.indices.contains(id) && seen.insert(id).inserted {
            working[id] = working[id] <= 0 ? working[id] * penalty : working[id] / penalty
        }
    }

    /// The k largest logits (all when k is off), sorted by logit, lowest id first on ties.
    private mutating func selectTopK() {
        candidates.removeAll(keepingCapacity: true)
        let count = working.count
        let k = settings.topK
        if k <= 0 || k >= count {
            for (id, logit) in working.enumerated() where !logit.isNaN {
                candidates.append(Candidate(id: id, logit: logit))
            }
            // Sorting everything is needed only by top-p; it sorts what it uses itself.
            return
        }
        // Keep the best k in a small sorted buffer; most logits fail the threshold test at once.
        for (id, logit) in working.enumerated() where !logit.isNaN {
            if candidates.count == k {
                guard logit > candidates[k - 1].logit else { continue }
                candidates.removeLast()
            }
            var position = candidates.count
            while position > 0, candidates[position - 1].logit < logit { position -= 1 }
            candidates.insert(Candidate(id: id, logit: logit), at: position)
        }
    }

    /// Keeps the most likely candidates until their probability reaches top-p (at least one):
    /// the smallest prefix of the candidates sorted by probability. Instead of sorting all of
    /// them, weights are bucketed by binary exponent; the buckets above the cut are kept whole
    /// and only the bucket where the cut falls is sorted.
    private mutating func applyTopP() {
        let p = Double(settings.topP)
        guard p < 1, candidates.count > 1 else { return }
        if bucketSums.isEmpty { bucketSums = [Double](repeating: 0, count: 2048) }
        for index in bucketSums.indices { bucketSums[index] = 0 }
        var total = 0.0
        for candidate in candidates {
            bucketSums[Self.bucket(candidate.weight)] += candidate.weight
            total += candidate.weight
        }
        let target = p * total
        var cumulative = 0.0
        var cut = 0
        for bucket in stride(from: bucketSums.count - 1, through: 0, by: -1) where bucketSums[bucket] > 0 {
            if cumulative + bucketSums[bucket] >= target {
                cut = bucket
                break
            }
            cumulative += bucketSums[bucket]
        }
        var kept: [Candidate] = []
        var boundary: [Candidate] = []
        for candidate in candidates {
            let bucket = Self.bucket(candidate.weight)
            if bucket > cut { kept.append(candidate) } else if bucket == cut { boundary.append(candidate) }
        }
        // `kept` stays in candidate order (by logit after top-k, else by id): only the cut needs an order.
        sortByWeight(&boundary)
        for candidate in boundary {
            kept.append(candidate)
            cumulative += candidate.weight
            if cumulative >= target { break }
        }
        candidates = kept.isEmpty ? [candidates[0]] : kept
    }

    /// A weight's biased binary exponent: larger weights have larger buckets.
    private static func bucket(_ weight: Double) -> Int {
        Int(truncatingIfNeeded: (weight.bitPattern >> 52) & 0x7FF)
    }

    /// Drops candidates whose probability is below min-p times the largest (llama.cpp min_p).
    private mutating func applyMinP() {
        let minP = Double(settings.minP)
        guard minP > 0, candidates.count > 1 else { return }
        let best = candidates.reduce(0.0) { max($0, $1.weight) }
        let kept = candidates.filter { $0.weight >= minP * best }
        if !kept.isEmpty { candidates = kept }
    }

    private func sortByWeight(_ list: inout [Candidate]) {
        list.sort { $0.logit != $1.logit ? $0.logit > $1.logit : $0.id < $1.id }
    }
}
