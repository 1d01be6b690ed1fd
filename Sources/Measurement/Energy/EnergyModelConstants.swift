import Foundation

/// The energy model's constants, each with its source: a replaceable data file
/// (`data/energy-model.json`; `--energy-constants FILE`), with the same figures embedded here.
public struct EnergyModelConstants: Codable, Sendable, Equatable {
    /// One per-operation energy.
    public struct Operation: Codable, Sendable, Equatable {
        /// Energy per operation in picojoules.
        public var picojoules: Double
        /// Where the figure comes from.
        public var source: String
    }

    /// Energy per byte moved from DRAM.
    public struct DRAM: Codable, Sendable, Equatable {
        /// The figure used, pJ per byte.
        public var picojoulesPerByte: Double
        /// Lower bound, pJ per byte.
        public var lowPicojoulesPerByte: Double?
        /// Upper bound, pJ per byte.
        public var highPicojoulesPerByte: Double?
        /// Where the figure comes from.
        public var source: String
    }

    /// Power drawn whatever the work: a stated fraction of a stated TDP.
    public struct StaticPower: Codable, Sendable, Equatable {
        /// Fraction of TDP drawn as static power.
        public var tdpFraction: Double
        /// The CPU's TDP in watts, when stated in the file.
        public var tdpWatts: Double?
        /// Where the fraction comes from.
        public var source: String

        // Encoded by hand so that an unstated TDP shows as null.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(tdpFraction, forKey: .tdpFraction)
            try c.encode(tdpWatts, forKey: .tdpWatts)
            try c.encode(source, forKey: .source)
        }
        private enum CodingKeys: String, CodingKey { case tdpFraction, tdpWatts, source }
    }

    /// File format identifier.
    public var schema: String
    /// What the file is.
    public var description: String
    /// Per-operation energies by operation type (`int8_add`, `fp16_mult`, …).
    public var operations: [String: Operation]
    /// DRAM energy per byte.
    public var dram: DRAM
    /// Static power.
    public var staticPower: StaticPower

    /// The embedded default (the contents of data/energy-model.json).
    public static let builtIn: EnergyModelConstants = {
        do {
            return try decode(Data(defaultJSON.utf8), origin: "built-in constants")
        } catch {
            preconditionFailure("built-in energy-model constants do not decode: \(error)")
        }
    }()

    /// Reads a constants file; throws a message naming the file and the problem.
    public static func load(path: String) throws -> EnergyModelConstants {
        let text = try SystemFileAccess().readText(path)
        return try decode(Data(text.utf8), origin: path)
    }

    /// Decodes and checks constants (every figure finite and non-negative, fraction in 0…1).
    public static func decode(_ data: Data, origin: String) throws -> EnergyModelConstants {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let constants: EnergyModelConstants
        do {
            constants = try decoder.decode(EnergyModelConstants.self, from: data)
        } catch {
            throw CounterConfigurationError("energy constants \(origin): not a valid constants file (\(error))")
        }
        func check(_ value: Double?, _ field: String) throws {
            guard let value else { return }
            guard value.isFinite, value >= 0 else {
                throw CounterConfigurationError("energy constants \(origin): \(field) must be a finite non-negative number, found \(value)")
            }
        }
        for (name, op) in constants.operations { try check(op.picojoules, "operations.\(name).picojoules") }
        try check(constants.dram.picojoulesPerByte, "dram.picojoules_per_byte")
        try check(constants.dram.lowPicojoulesPerByte, "dram.low_picojoules_per_byte")
        try check(constants.dram.highPicojoulesPerByte, "dram.high_picojoules_per_byte")
        try check(constants.staticPower.tdpWatts, "static_power.tdp_watts")
        guard constants.staticPower.tdpFraction >= 0, constants.staticPower.tdpFraction <= 1 else {
            throw CounterConfigurationError("energy constants \(origin): static_power.tdp_fraction must lie in 0…1, found \(constants.staticPower.tdpFraction)")
        }
        return constants
    }

    /// Must equal data/energy-model.json (a test compares them).
    static let defaultJSON = #"""
    {
      "schema": "bitbench-energy-model/1",
      "description": "Per-operation and per-byte energies for the BitBench energy model, an ESTIMATE for machines without RAPL. Replace this file (--energy-constants FILE) with figures for your process node and machine.",
      "operations": {
        "int8_add": { "picojoules": 0.03, "source": "Horowitz, 'Computing's energy problem (and what we can do about it)', ISSCC 2014, 45 nm at 0.9 V: 8-bit integer add" },
        "int16_add": { "picojoules": 0.05, "source": "Horowitz, ISSCC 2014, 45 nm at 0.9 V: 16-bit integer add" },
        "int32_add": { "picojoules": 0.1, "source": "Horowitz, ISSCC 2014, 45 nm at 0.9 V: 32-bit integer add" },
        "int8_mult": { "picojoules": 0.2, "source": "Horowitz, ISSCC 2014, 45 nm at 0.9 V: 8-bit integer multiply" },
        "int32_mult": { "picojoules": 3.1, "source": "Horowitz, ISSCC 2014, 45 nm at 0.9 V: 32-bit integer multiply" },
        "fp16_add": { "picojoules": 0.4, "source": "Horowitz, ISSCC 2014, 45 nm at 0.9 V: 16-bit floating-point add" },
        "fp16_mult": { "picojoules": 1.1, "source": "Horowitz, ISSCC 2014, 45 nm at 0.9 V: 16-bit floating-point multiply" },
        "fp32_add": { "picojoules": 0.9, "source": "Horowitz, ISSCC 2014, 45 nm at 0.9 V: 32-bit floating-point add" },
        "fp32_mult": { "picojoules": 3.7, "source": "Horowitz, ISSCC 2014, 45 nm at 0.9 V: 32-bit floating-point multiply" }
      },
      "dram": {
        "picojoules_per_byte": 243.75,
        "low_picojoules_per_byte": 162.5,
        "high_picojoules_per_byte": 325.0,
        "source": "Horowitz, ISSCC 2014: DRAM 1.3-2.6 nJ per 64-bit access at 45 nm, i.e. 162.5-325 pJ/byte; the midpoint is used, the range gives the bounds"
      },
      "static_power": {
        "tdp_fraction": 0.5,
        "tdp_watts": null,
        "source": "Barroso and Hoelzle, 'The Case for Energy-Proportional Computing', IEEE Computer 40(12), 2007: servers draw about half their peak power when doing almost no work. A whole-server figure applied to the CPU's TDP; state the TDP with --tdp WATTS or tdp_watts here, and prefer a measured idle power where you have one"
      }
    }
    """#
}
