import Kernels

/// One measured case of `bitbench kernels`: a format, shape, batch and thread count, with timing
/// statistics and the derived rates and ratios. Its field table drives every printer.
public struct KernelBenchRecord: Sendable, Encodable {
    public var format: WeightFormatID
    public var m: Int
    public var k: Int
    public var batch: Int
    public var threads: Int
    public var cold: Bool
    public var path: KernelPath
    /// Timing of the fast kernel, nanoseconds per product.
    public var time: SampleStatistics
    /// Bytes of packed weights one product streams.
    public var weightBytes: Int
    /// Weight copies rotated through (1 when hot).
    public var copies: Int
    /// Read bandwidth measured alongside this case (GB/s, median of the paired reads), nil if not measured.
    public var bandwidthGBps: Double?
    /// The same from the fastest paired read: with `bestWeightGBps`, a comparison that other
    /// processes on a shared machine disturb less than the medians.
    public var bestBandwidthGBps: Double?
    /// F16 median / this median on the same shape, batch and threads (nil without F16).
    public var speedupOverF16: Double?
    /// Timing of the scalar reference on the same workers (nil when skipped).
    public var scalarTime: SampleStatistics?
    /// Why something is missing or to be read with care.
    public var note: String?

    /// Weight GB/s: packed bytes over the median time.
    public var weightGBps: Double { Double(weightBytes) / time.median }
    /// Useful arithmetic: 2·M·K·batch operations over the median time, in G/s.
    public var gops: Double { 2 * Double(m) * Double(k) * Double(batch) / time.median }
    /// Tokens per second at the median.
    public var tokensPerSecond: Double { Double(batch) / (time.median * 1e-9) }
    /// Weight GB/s as a fraction of the measured read bandwidth.
    public var bandwidthFraction: Double? { bandwidthGBps.map { weightGBps / $0 } }
    /// Weight GB/s of the fastest repetition.
    public var bestWeightGBps: Double { Double(weightBytes) / time.min }
    /// Best weight GB/s over best read bandwidth.
    public var bestBandwidthFraction: Double? { bestBandwidthGBps.map { bestWeightGBps / $0 } }
    /// Scalar reference median / this median.
    public var speedupOverScalar: Double? { scalarTime.map { $0.median / time.median } }

    /// A printable value.
    public enum Value: Sendable {
        case integer(Int), number(Double), text(String), flag(Bool), missing
    }

    /// One output column: its snake_case name and how to read it from a record.
    public struct Field: Sendable {
        public let name: String
        public let value: @Sendable (KernelBenchRecord) -> Value
    }

    /// Every field, in output order: JSON keys, CSV columns.
    public static let fields: [Field] = [
        Field(name: "format") { .text($0.format.rawValue) },
        Field(name: "m") { .integer($0.m) },
        Field(name: "k") { .integer($0.k) },
        Field(name: "batch") { .integer($0.batch) },
        Field(name: "threads") { .integer($0.threads) },
        Field(name: "cold") { .flag($0.cold) },
        Field(name: "path") { .text($0.path.rawValue) },
        Field(name: "repetitions") { .integer($0.time.count) },
        Field(name: "median_ns") { .number($0.time.median) },
        Field(name: "mean_ns") { .number($0.time.mean) },
        Field(name: "sd_ns") { .number($0.time.standardDeviation) },
        Field(name: "cv") { $0.time.coefficientOfVariation.map(Value.number) ?? .missing },
        Field(name: "min_ns") { .number($0.time.min) },
        Field(name: "p25_ns") { .number($0.time.percentile(25)) },
        Field(name: "p75_ns") { .number($0.time.percentile(75)) },
        Field(name: "max_ns") { .number($0.time.max) },
        Field(name: "weight_bytes") { .integer($0.weightBytes) },
        Field(name: "copies") { .integer($0.copies) },
        Field(name: "weight_gbps") { .number($0.weightGBps) },
        Field(name: "gops") { .number($0.gops) },
        Field(name: "tokens_per_second") { .number($0.tokensPerSecond) },
        Field(name: "bandwidth_gbps") { $0.bandwidthGBps.map(Value.number) ?? .missing },
        Field(name: "bandwidth_fraction") { $0.bandwidthFraction.map(Value.number) ?? .missing },
        Field(name: "best_weight_gbps") { .number($0.bestWeightGBps) },
        Field(name: "best_bandwidth_gbps") { $0.bestBandwidthGBps.map(Value.number) ?? .missing },
        Field(name: "best_bandwidth_fraction") { $0.bestBandwidthFraction.map(Value.number) ?? .missing },
        Field(name: "vs_f16") { $0.speedupOverF16.map(Value.number) ?? .missing },
        Field(name: "scalar_median_ns") { $0.scalarTime.map { .number($0.median) } ?? .missing },
        Field(name: "scalar_repetitions") { .integer($0.scalarTime?.count ?? 0) },
        Field(name: "vs_scalar") { $0.speedupOverScalar.map(Value.number) ?? .missing },
        Field(name: "note") { $0.note.map(Value.text) ?? .missing },
    ]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes every field of the table, in order; missing values as null.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for field in Self.fields {
            let key = Key(field.name)
            switch field.value(self) {
            case let .integer(v): try container.encode(v, forKey: key)
            case let .number(v): try container.encode(v.isFinite ? v : nil, forKey: key)
            case let .text(v): try container.encode(v, forKey: key)
            case let .flag(v): try container.encode(v, forKey: key)
            case .missing: try container.encodeNil(forKey: key)
            }
        }
    }
}
