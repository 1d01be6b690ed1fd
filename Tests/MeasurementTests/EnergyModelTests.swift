import Foundation
import Measurement
import TestSupport
import Testing

/// The energy model: an estimate with its formula and cited constants, never a measurement.
@Suite("energy model")
struct EnergyModelTests {
    @Test("the embedded constants are the data file's, and every figure names its source")
    func constantsMatchDataFile() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("data/energy-model.json").path
        let file = try EnergyModelConstants.load(path: path)
        #expect(file == EnergyModelConstants.builtIn)
        #expect(file.operations["int8_add"]?.picojoules == 0.03)
        #expect(file.operations["fp32_mult"]?.picojoules == 3.7)
        #expect(file.operations.values.allSatisfy { $0.source.contains("Horowitz") })
        #expect(file.dram.source.contains("1.3-2.6 nJ"))
        #expect(file.staticPower.source.contains("Barroso"))
    }

    @Test("operations, DRAM bytes and static power add up as the formula says")
    func estimateWithWork() throws {
        let model = EnergyModel(tdpWatts: 200)
        let work = WorkCounts(operations: ["int8_add": 1e12, "fp32_mult": 1e9], dramBytes: 1e9)
        let e = model.estimate(seconds: 2, work: work)
        let ops = 1e12 * 0.03e-12 + 1e9 * 3.7e-12        // 0.03 J + 0.0037 J
        let dram = 1e9 * 243.75e-12                       // 0.24375 J
        let stat = 0.5 * 200 * 2                          // 200 J
        #expect(e.label == "ESTIMATE (energy model), not a measurement")
        #expect(e.formula == EnergyModel.formula)
        #expect(abs(try #require(e.terms.first { $0.name == "operations" }?.joules) - ops) < 1e-12)
        #expect(abs(try #require(e.terms.first { $0.name == "dram" }?.joules) - dram) < 1e-12)
        #expect(e.terms.first { $0.name == "static" }?.joules == stat)
        #expect(abs(try #require(e.joules) - (ops + dram + stat)) < 1e-9)
        #expect(abs(try #require(e.joulesLow) - (ops + 1e9 * 162.5e-12 + stat)) < 1e-9)
        #expect(abs(try #require(e.joulesHigh) - (ops + 1e9 * 325e-12 + stat)) < 1e-9)
        #expect(e.covers == ["operations", "dram", "static"])
        #expect(e.reason == nil)
    }

    @Test("unknown work: only the static term; no TDP: nothing, and the reasons say exactly that")
    func partialEstimates() throws {
        let why = "the work counts of this phase are unknown"
        let staticOnly = EnergyModel(tdpWatts: 100).estimate(seconds: 1.5, work: nil, unknownWorkReason: why)
        #expect(staticOnly.joules == 75)
        #expect(staticOnly.covers == ["static"])
        #expect(staticOnly.reason == "covers only static; missing: operations and dram (\(why))")
        let nothing = EnergyModel().estimate(seconds: 1.5, work: nil, unknownWorkReason: why)
        #expect(nothing.joules == nil)
        #expect(nothing.reason?.contains("no TDP stated: pass --tdp WATTS") == true)
        let unknownType = EnergyModel(tdpWatts: 100).estimate(seconds: 1, work: WorkCounts(operations: ["int4_add": 5], dramBytes: 0))
        #expect(unknownType.terms.first { $0.name == "operations" }?.joules == nil)
        #expect(unknownType.reason?.contains("no constant for operation type(s) int4_add") == true)
    }

    @Test("--energy model through the probe: method model, labelled, formula and constants in the JSON")
    func probeRecordsModel() throws {
        let probe = EnergyProbe(selection: .method(.model), model: EnergyModel(tdpWatts: 120))
        defer { probe.close() }
        #expect(probe.openMethods.isEmpty)
        probe.tokens = 10
        probe.begin()
        MonotonicClock.sleep(seconds: 0.01)
        probe.end()
        let r = probe.reading()
        #expect(r.method == .model)
        #expect(r.measured == false)
        #expect(r.domains.isEmpty)
        let seconds = try #require(r.seconds)
        #expect(abs(try #require(r.joules) - 60 * seconds) < 1e-9)
        #expect(r.joulesPerToken == r.joules.map { $0 / 10 })
        let json = try MeasurementJSON.string(r)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["method"] as? String == "model")
        let estimate = try #require(object["estimate"] as? [String: Any])
        #expect(estimate["label"] as? String == EnergyModel.label)
        #expect(estimate["formula"] as? String == EnergyModel.formula)
        let constants = try #require(estimate["constants"] as? [String: Any])
        let operations = try #require(constants["operations"] as? [String: Any])
        #expect((operations["int8_add"] as? [String: Any])?["picojoules"] as? Double == 0.03)
        #expect((constants["static_power"] as? [String: Any])?.keys.contains("tdp_watts") == true)
    }

    @Test("a measured method never carries a model estimate")
    func neverMixed() throws {
        let root = try EnergyTestSupport.copyFixture("powercap-amd")
        let probe = EnergyProbe(selection: .auto,
                                environment: EnergyEnvironment(eventSourceRoot: "/nonexistent/es", powercapRoot: root,
                                                               msrDirectory: "/nonexistent/msr"),
                                model: EnergyModel(tdpWatts: 500), samplingInterval: 60)
        defer { probe.close() }
        probe.begin()
        try EnergyTestSupport.write("8000000", to: "\(root)/intel-rapl:0/energy_uj")
        probe.end()
        let r = probe.reading()
        #expect(r.method == .sysfsRAPL)
        #expect(r.joules == 1)
        #expect(r.estimate == nil)
    }

    @Test("a bad constants file is refused, naming the file and the field")
    func badConstants() throws {
        let dir = try Fixtures.temporaryDirectory("bitbench-constants")
        let path = dir.appendingPathComponent("bad.json").path
        var text = try String(contentsOfFile: Fixtures.packageRoot.appendingPathComponent("data/energy-model.json").path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"tdp_fraction\": 0.5", with: "\"tdp_fraction\": 1.5")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try EnergyModelConstants.load(path: path)
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("static_power.tdp_fraction must lie in 0…1")
        }
        try "{}".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: CounterConfigurationError.self) { try EnergyModelConstants.load(path: path) }
    }
}
