/// Where one term of a PMU's event syntax goes in perf_event_attr, from a sysfs `format/<term>`
/// file such as `config:0-7,32-35` (Documentation/ABI/testing/sysfs-bus-event_source-devices-format).
public struct PMUFormatField: Sendable, Equatable {
    /// Which attr field: 0 = config, 1 = config1, 2 = config2.
    public var field: Int
    /// Bit ranges, low bits of the value first.
    public var ranges: [ClosedRange<Int>]

    /// The number of value bits the field holds.
    public var width: Int { ranges.reduce(0) { $0 + $1.count } }

    /// Parses `config:0-7`, `config1:0-31`, `config:21` or `config:0-7,32-35`.
    public init(parsing text: String) throws {
        let trimmed = text.strippingWhitespace()
        let parts = trimmed.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw CounterConfigurationError("format '\(trimmed)': expected field:bits") }
        switch parts[0] {
        case "config": field = 0
        case "config1": field = 1
        case "config2": field = 2
        default: throw CounterConfigurationError("format '\(trimmed)': unknown attr field '\(parts[0])'")
        }
        ranges = try parts[1].split(separator: ",").map { item in
            let bounds = item.split(separator: "-").map { Int($0) }
            guard let low = bounds.first ?? nil, let high = bounds.last ?? nil, bounds.count <= 2,
                  low >= 0, low <= high, high < 64 else {
                throw CounterConfigurationError("format '\(trimmed)': bad bit range '\(item)'")
            }
            return low...high
        }
        guard !ranges.isEmpty else { throw CounterConfigurationError("format '\(trimmed)': no bits") }
    }

    /// Spreads `value` over the bit ranges; throws when it does not fit.
    public func place(_ value: UInt64, term: String) throws -> UInt64 {
        if width < 64 && value >> UInt64(width) != 0 {
            throw CounterConfigurationError("value \(value) of '\(term)' does not fit its \(width)-bit field")
        }
        var result: UInt64 = 0
        var remaining = value
        for range in ranges {
            let bits = range.count
            let mask: UInt64 = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
            result |= (remaining & mask) << UInt64(range.lowerBound)
            remaining = bits == 64 ? 0 : remaining >> UInt64(bits)
        }
        return result
    }
}
