/// The energy of one phase: measured by a RAPL method, estimated by the model (labelled), or
/// unavailable with the reason. Every record carries its method.
public struct EnergyReading: Codable, Sendable, Equatable {
    /// One RAPL domain's energy.
    public struct Domain: Codable, Sendable, Equatable {
        /// `package-0`, `dram-0`, …
        public var name: String
        /// package, cores, uncore, dram or psys.
        public var kind: RAPLDomain.Kind
        /// The socket.
        public var socket: Int
        /// Gross energy in joules, or nil.
        public var joules: Double?
        /// joules / seconds.
        public var averageWatts: Double?
        /// Idle power from the baseline, when one was measured.
        public var idleWatts: Double?
        /// joules − idleWatts × seconds.
        public var netJoules: Double?
        /// Counter wraps corrected during the phase.
        public var wraps: Int
        /// Where the counts came from.
        public var origins: [String]
        /// Why a value is missing.
        public var reason: String?

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(kind, forKey: .kind)
            try c.encode(socket, forKey: .socket)
            try c.encode(joules, forKey: .joules)
            try c.encode(averageWatts, forKey: .averageWatts)
            try c.encode(idleWatts, forKey: .idleWatts)
            try c.encode(netJoules, forKey: .netJoules)
            try c.encode(wraps, forKey: .wraps)
            try c.encode(origins, forKey: .origins)
            try c.encode(reason, forKey: .reason)
        }
        private enum CodingKeys: String, CodingKey {
            case name, kind, socket, joules, averageWatts, idleWatts, netJoules, wraps, origins, reason
        }
    }

    /// A method that was tried and not used.
    public struct Attempt: Codable, Sendable, Equatable {
        /// The method.
        public var method: EnergyMethod
        /// Why it was not used.
        public var reason: String
    }

    /// The idle baseline that net figures subtract.
    public struct IdleBaseline: Codable, Sendable, Equatable {
        /// How long the machine was measured idle.
        public var seconds: Double
        /// Idle watts per domain name (only domains with a value).
        public var watts: [String: Double]
        /// Domains without an idle figure, and why.
        public var problems: [String]
    }

    /// How the figures were obtained.
    public var method: EnergyMethod
    /// What was asked for (`auto` or a method).
    public var requested: String
    /// True only for RAPL methods: the numbers are measurements.
    public var measured: Bool
    /// Phase length used for power figures.
    public var seconds: Double?
    /// Gross energy: package(s) + DRAM (psys when there is no package domain); for the model,
    /// the estimate. Nil when unavailable.
    public var joules: Double?
    /// Net energy: gross − idle power × time, when a baseline was measured.
    public var netJoules: Double?
    /// joules / seconds.
    public var averageWatts: Double?
    /// joules / tokens, when the token count is known.
    public var joulesPerToken: Double?
    /// netJoules / tokens.
    public var netJoulesPerToken: Double?
    /// Why `joules` is missing, or what it does not cover.
    public var reason: String?
    /// Per-domain figures (RAPL methods).
    public var domains: [Domain]
    /// The idle baseline, if measured.
    public var idleBaseline: IdleBaseline?
    /// Methods tried and not used.
    public var attempts: [Attempt]
    /// Domains the chosen method skipped, and why.
    public var notes: [String]
    /// The model's estimate: present only when the method is `model` (or the model was the
    /// requested fallback and could not compute), never beside a measurement.
    public var estimate: EnergyEstimate?

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(method, forKey: .method)
        try c.encode(requested, forKey: .requested)
        try c.encode(measured, forKey: .measured)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(joules, forKey: .joules)
        try c.encode(netJoules, forKey: .netJoules)
        try c.encode(averageWatts, forKey: .averageWatts)
        try c.encode(joulesPerToken, forKey: .joulesPerToken)
        try c.encode(netJoulesPerToken, forKey: .netJoulesPerToken)
        try c.encode(reason, forKey: .reason)
        try c.encode(domains, forKey: .domains)
        try c.encode(idleBaseline, forKey: .idleBaseline)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(notes, forKey: .notes)
        try c.encode(estimate, forKey: .estimate)
    }
    private enum CodingKeys: String, CodingKey {
        case method, requested, measured, seconds, joules, netJoules, averageWatts, joulesPerToken
        case netJoulesPerToken, reason, domains, idleBaseline, attempts, notes, estimate
    }

    /// The domain of that name (`package-0`).
    public subscript(domain name: String) -> Domain? {
        domains.first { $0.name == name }
    }
}
