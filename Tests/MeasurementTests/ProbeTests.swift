import Foundation
import Measurement
import TestSupport
import Testing

/// The probe protocol, the composite phase probe, readings as data and derived metrics.
@Suite("probes and derived metrics")
struct ProbeTests {
    @Test("Known is a value or null with a reason in JSON")
    func probeValueCoding() throws {
        let values: [Known<Double>] = [.known(1.5), .unknown("no PMU")]
        let json = try MeasurementJSON.string(values, pretty: false)
        #expect(json == #"[{"value":1.5},{"reason":"no PMU","value":null}]"#)
        let back = try MeasurementJSON.decoder().decode([Known<Double>].self, from: Data(json.utf8))
        #expect(back == values)
    }

    @Test("the wall clock is unavailable until begun and ended, then positive")
    func wallClock() {
        let clock = WallClockProbe()
        #expect(clock.reading().seconds.reason != nil)
        clock.begin()
        MonotonicClock.sleep(seconds: 0.001)
        clock.end()
        #expect((clock.reading().seconds.value ?? 0) > 0)
        #expect(MonotonicClock.resolutionNanoseconds() != nil)
    }

    @Test("a phase: wall clock, counters and metrics together; the reading round-trips as JSON")
    func phase() throws {
        let counters = try CounterProbe(session: CounterSession(names: ["task-clock", "cycles"], scope: .callingThread))
        let phase = PhaseProbe(counters: counters)
        phase.tokens = 4
        let (sum, reading) = phase.measure { (0..<200_000).reduce(0, &+) }
        #expect(sum == 19_999_900_000)
        let seconds = try #require(reading.wallSeconds.value)
        let taskClock = try #require(reading.counters?["task-clock"]?.value)
        #expect(taskClock > 0)
        let utilization = try #require(reading.metrics.first { $0.name == "CPUs utilized" })
        #expect(utilization.value == taskClock / (seconds * 1e9))
        let ipc = try #require(reading.metrics.first { $0.name == "IPC" })
        if reading.counters?["cycles"]?.value == nil {
            #expect(ipc.value == nil)
            #expect(ipc.reason?.hasPrefix("needs") == true)
        }
        let data = try MeasurementJSON.encoder().encode(reading)
        #expect(try MeasurementJSON.decoder().decode(PhaseReading.self, from: data) == reading)
    }

    @Test("formulas: hyphenated names, precedence, parentheses, quoting, division by zero")
    func formulas() throws {
        let values: [String: Double] = ["LLC-load-misses": 300, "tokens": 3, "a": 2, "b": 4, "zero": 0, "cpu/event=0xc0/": 8]
        func eval(_ text: String) throws -> Known<Double> {
            try MetricFormula(text).evaluate { values[$0].map { .known($0) } ?? .unknown("not counted") }
        }
        #expect(try MetricFormula("LLC-load-misses / tokens").names == ["LLC-load-misses", "tokens"])
        #expect(try eval("LLC-load-misses / tokens") == .known(100))
        #expect(try eval("a + b * 2") == .known(10))
        #expect(try eval("(a + b) * 2") == .known(12))
        #expect(try eval("b - a") == .known(2))
        #expect(try eval("-a + 1e1") == .known(8))
        #expect(try eval("{cpu/event=0xc0/} / a") == .known(4))
        #expect(try eval("a / zero") == .unknown("division by zero (zero is 0)"))
        #expect(try eval("a / missing") == .unknown("needs missing: not counted"))
        #expect(throws: CounterConfigurationError.self) { try MetricFormula("a / (b") }
        #expect(throws: CounterConfigurationError.self) { try MetricFormula("a $ b") }
    }

    @Test("the embedded metric table is data/metrics.json; metrics appear when their inputs were asked for")
    func metricTable() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("data/metrics.json").path
        let file = try MetricTable.load(path: path)
        #expect(file.definitions.map(\.definition) == MetricTable.builtIn.definitions.map(\.definition))
        let counters = CounterReading(scope: "test", events: [
            CounterValue(name: "instructions", value: 3_000, rawValue: 3_000, scaled: false, timeEnabledNanoseconds: 1,
                         timeRunningNanoseconds: 1, unit: nil, encoding: nil),
            CounterValue(name: "cycles", unsupportedReason: "no such PMU", errno: 2, errnoName: "ENOENT"),
        ])
        let metrics = MetricTable.builtIn.evaluate(counters: counters, seconds: 1, tokens: 30, weights: nil)
        #expect(metrics.first { $0.name == "instructions per token" }?.value == 100)
        #expect(metrics.first { $0.name == "IPC" }?.reason == "needs cycles: unsupported (ENOENT)")
        #expect(metrics.first { $0.name == "cycles per weight" }?.reason == "needs cycles: unsupported (ENOENT)")
        #expect(metrics.first { $0.name == "instructions per weight" }?.reason?.contains("--weights") == true)
        #expect(!metrics.contains { $0.name == "branch miss rate" })
    }
}
