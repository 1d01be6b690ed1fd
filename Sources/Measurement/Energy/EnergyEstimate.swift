/// The energy model's output: always labelled an estimate, with its formula, constants and terms.
public struct EnergyEstimate: Codable, Sendable, Equatable {
    /// One term of the formula.
    public struct Term: Codable, Sendable, Equatable {
        /// `operations`, `dram` or `static`.
        public var name: String
        /// Its energy, or nil.
        public var joules: Double?
        /// Lower and upper bounds where the constants give a range.
        public var joulesLow: Double?
        /// Upper bound.
        public var joulesHigh: Double?
        /// How it was computed, or why it could not be.
        public var detail: String

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(joules, forKey: .joules)
            try c.encodeIfPresent(joulesLow, forKey: .joulesLow)
            try c.encodeIfPresent(joulesHigh, forKey: .joulesHigh)
            try c.encode(detail, forKey: .detail)
        }
        private enum CodingKeys: String, CodingKey { case name, joules, joulesLow, joulesHigh, detail }
    }

    /// "ESTIMATE (energy model), not a measurement".
    public var label: String
    /// The formula in words.
    public var formula: String
    /// Every constant used, with sources.
    public var constants: EnergyModelConstants
    /// Where the constants came from (built-in or a file path).
    public var constantsOrigin: String
    /// The TDP used for the static term, when one was stated.
    public var tdpWatts: Double?
    /// The three terms.
    public var terms: [Term]
    /// The sum of the terms that could be computed, or nil when none could.
    public var joules: Double?
    /// Bounds of that sum, from the constants' ranges.
    public var joulesLow: Double?
    /// Upper bound.
    public var joulesHigh: Double?
    /// The terms included in `joules`.
    public var covers: [String]
    /// What is missing from `joules`, or nil when all terms are in.
    public var reason: String?

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label)
        try c.encode(formula, forKey: .formula)
        try c.encode(constants, forKey: .constants)
        try c.encode(constantsOrigin, forKey: .constantsOrigin)
        try c.encode(tdpWatts, forKey: .tdpWatts)
        try c.encode(terms, forKey: .terms)
        try c.encode(joules, forKey: .joules)
        try c.encode(joulesLow, forKey: .joulesLow)
        try c.encode(joulesHigh, forKey: .joulesHigh)
        try c.encode(covers, forKey: .covers)
        try c.encode(reason, forKey: .reason)
    }
    private enum CodingKeys: String, CodingKey {
        case label, formula, constants, constantsOrigin, tdpWatts, terms, joules, joulesLow, joulesHigh, covers, reason
    }
}
