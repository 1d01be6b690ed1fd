import Foundation

/// The energy model for machines without RAPL. It computes an ESTIMATE, never a measurement:
/// E = Σ_type ops_type × E_type + DRAM bytes × E_byte + tdp_fraction × TDP × t.
public struct EnergyModel: Sendable {
    /// The label every estimate carries.
    public static let label = "ESTIMATE (energy model), not a measurement"
    /// The formula every estimate carries.
    public static let formula = "E = sum over operation types (count x pJ per operation) + DRAM bytes x pJ per byte + static_power.tdp_fraction x TDP x seconds"

    /// The constants.
    public var constants: EnergyModelConstants
    /// "built-in" or the file they came from.
    public var constantsOrigin: String
    /// The TDP for the static term (`--tdp`), overriding the file's `tdp_watts`.
    public var tdpWatts: Double?

    /// A model over the given constants.
    public init(constants: EnergyModelConstants = .builtIn, constantsOrigin: String = "built-in (data/energy-model.json)", tdpWatts: Double? = nil) {
        self.constants = constants
        self.constantsOrigin = constantsOrigin
        self.tdpWatts = tdpWatts
    }

    /// Estimates the energy of a phase of `seconds`. `work` nil means the work is unknown;
    /// `unknownWorkReason` then says why (for a command: its operations cannot be counted).
    public func estimate(seconds: Double?, work: WorkCounts?,
                         unknownWorkReason: String = "the phase's work counts (operations by type, DRAM bytes) are unknown") -> EnergyEstimate {
        var terms: [EnergyEstimate.Term] = []

        if let work {
            let unknown = work.operations.keys.filter { constants.operations[$0] == nil }.sorted()
            if unknown.isEmpty {
                var joules = 0.0
                for (type, count) in work.operations {
                    joules += count * constants.operations[type]!.picojoules * 1e-12
                }
                let detail = work.operations.keys.sorted().map {
                    "\($0): \(Self.show(work.operations[$0]!)) x \(Self.show(constants.operations[$0]!.picojoules)) pJ"
                }.joined(separator: " + ")
                terms.append(.init(name: "operations", joules: joules, detail: detail.isEmpty ? "no operations" : detail))
            } else {
                terms.append(.init(name: "operations", joules: nil,
                                   detail: "no constant for operation type(s) \(unknown.joined(separator: ", ")) in \(constantsOrigin)"))
            }
            let dram = constants.dram
            terms.append(.init(name: "dram", joules: work.dramBytes * dram.picojoulesPerByte * 1e-12,
                               joulesLow: dram.lowPicojoulesPerByte.map { work.dramBytes * $0 * 1e-12 },
                               joulesHigh: dram.highPicojoulesPerByte.map { work.dramBytes * $0 * 1e-12 },
                               detail: "\(Self.show(work.dramBytes)) bytes x \(Self.show(dram.picojoulesPerByte)) pJ/byte"))
        } else {
            terms.append(.init(name: "operations", joules: nil, detail: unknownWorkReason))
            terms.append(.init(name: "dram", joules: nil, detail: unknownWorkReason))
        }

        let tdp = tdpWatts ?? constants.staticPower.tdpWatts
        let fraction = constants.staticPower.tdpFraction
        if let tdp, let seconds {
            terms.append(.init(name: "static", joules: fraction * tdp * seconds,
                               detail: "\(Self.show(fraction)) x \(Self.show(tdp)) W TDP x \(Self.show(seconds)) s"))
        } else if tdp == nil {
            terms.append(.init(name: "static", joules: nil,
                               detail: "no TDP stated: pass --tdp WATTS or set static_power.tdp_watts in the constants file"))
        } else {
            terms.append(.init(name: "static", joules: nil, detail: "the phase's duration is unknown"))
        }

        let present = terms.filter { $0.joules != nil }
        let missing = terms.filter { $0.joules == nil }
        let total = present.isEmpty ? nil : present.reduce(0) { $0 + $1.joules! }
        let low = present.isEmpty ? nil : present.reduce(0) { $0 + ($1.joulesLow ?? $1.joules!) }
        let high = present.isEmpty ? nil : present.reduce(0) { $0 + ($1.joulesHigh ?? $1.joules!) }
        var reason: String? = nil
        if !missing.isEmpty {
            // Terms missing for the same reason are named together.
            var groups: [(names: [String], detail: String)] = []
            for term in missing {
                if let i = groups.firstIndex(where: { $0.detail == term.detail }) {
                    groups[i].names.append(term.name)
                } else {
                    groups.append(([term.name], term.detail))
                }
            }
            let list = groups.map { "\($0.names.joined(separator: " and ")) (\($0.detail))" }.joined(separator: "; ")
            reason = present.isEmpty
                ? "no term could be computed: \(list)"
                : "covers only \(present.map(\.name).joined(separator: " + ")); missing: \(list)"
        }
        return EnergyEstimate(label: Self.label, formula: Self.formula, constants: constants,
                              constantsOrigin: constantsOrigin, tdpWatts: tdp, terms: terms,
                              joules: total, joulesLow: low, joulesHigh: high,
                              covers: present.map(\.name), reason: reason)
    }

    /// A figure in at most 6 significant digits, for the term details.
    static func show(_ value: Double) -> String {
        String(format: "%.6g", value)
    }
}
