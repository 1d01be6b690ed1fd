/// One event's count over a phase, or why there is none.
public struct CounterValue: Codable, Sendable, Equatable {
    /// The name as requested.
    public var name: String
    /// The count (scaled for multiplexing when `scaled`), or nil when unsupported or unreadable.
    public var value: Double?
    /// The count as read, before scaling.
    public var rawValue: UInt64?
    /// True when the event ran only part of the time it was enabled and the count was
    /// extrapolated by time_enabled / time_running.
    public var scaled: Bool
    /// Nanoseconds the event was enabled (summed over groups).
    public var timeEnabledNanoseconds: UInt64?
    /// Nanoseconds it was actually on the PMU (summed over groups).
    public var timeRunningNanoseconds: UInt64?
    /// Unit of the value ("ns" for the clocks), when it is not a plain count.
    public var unit: String?
    /// Why there is no value; nil when there is one.
    public var unsupportedReason: String?
    /// errno from perf_event_open or read, when a system call refused.
    public var errno: Int32?
    /// Its name (ENOENT).
    public var errnoName: String?
    /// How the event was encoded, when it could be.
    public var encoding: PerfEventEncoding?

    /// Makes a value with a count.
    public init(name: String, value: Double, rawValue: UInt64, scaled: Bool, timeEnabledNanoseconds: UInt64,
                timeRunningNanoseconds: UInt64, unit: String?, encoding: PerfEventEncoding?) {
        self.name = name
        self.value = value
        self.rawValue = rawValue
        self.scaled = scaled
        self.timeEnabledNanoseconds = timeEnabledNanoseconds
        self.timeRunningNanoseconds = timeRunningNanoseconds
        self.unit = unit
        self.encoding = encoding
    }

    /// Makes an unsupported or unreadable value.
    public init(name: String, unsupportedReason: String, errno: Int32? = nil, errnoName: String? = nil,
                encoding: PerfEventEncoding? = nil) {
        self.name = name
        self.scaled = false
        self.unsupportedReason = unsupportedReason
        self.errno = errno
        self.errnoName = errnoName
        self.encoding = encoding
    }

    private enum CodingKeys: String, CodingKey {
        case name, value, rawValue, scaled, timeEnabledNanoseconds, timeRunningNanoseconds, unit
        case unsupportedReason, errno, errnoName, encoding
    }

    // Encoded by hand so that a missing value is an explicit null, not an absent key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(value, forKey: .value)
        try c.encode(rawValue, forKey: .rawValue)
        try c.encode(scaled, forKey: .scaled)
        try c.encode(timeEnabledNanoseconds, forKey: .timeEnabledNanoseconds)
        try c.encode(timeRunningNanoseconds, forKey: .timeRunningNanoseconds)
        try c.encode(unit, forKey: .unit)
        try c.encode(unsupportedReason, forKey: .unsupportedReason)
        try c.encode(errno, forKey: .errno)
        try c.encode(errnoName, forKey: .errnoName)
        try c.encodeIfPresent(encoding, forKey: .encoding)
    }
}

/// The counters of one phase.
public struct CounterReading: Codable, Sendable, Equatable {
    /// Whose work was counted.
    public var scope: String
    /// One entry per requested event, in request order.
    public var events: [CounterValue]

    /// Makes a reading.
    public init(scope: String, events: [CounterValue]) {
        self.scope = scope
        self.events = events
    }

    /// The event of that name, if requested.
    public subscript(name: String) -> CounterValue? {
        events.first { $0.name == name }
    }
}
