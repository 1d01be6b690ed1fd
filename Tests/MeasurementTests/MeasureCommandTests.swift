import Foundation
import Measurement
import Testing

/// `bitbench measure`'s library path on this machine: a real command, real counters.
@Suite("measure a command")
struct MeasureCommandTests {
    @Test("sleep 0.2: software events count, hardware events are unsupported with the kernel's reason, exit 0")
    func sleepWithSoftwareAndHardwareEvents() throws {
        let names = ["task-clock", "page-faults", "context-switches", "cycles", "instructions"]
        let reading = try CommandMeasurement.run(arguments: ["sleep", "0.2"], counterNames: names, energy: nil)
        #expect(reading.status.exitStatus == 0)
        #expect(reading.status.signal == nil)
        #expect(reading.wallSeconds >= 0.2)
        #expect(reading.counters.map(\.name) == names)
        for name in ["task-clock", "page-faults", "context-switches"] {
            let event = try #require(reading[counter: name])
            #expect(event.value != nil, "\(name): \(event.unsupportedReason ?? "")")
            #expect(event.unsupportedReason == nil)
        }
        // sleep does run and fault in pages, and a 0.2 s sleep switches out at least once.
        #expect((reading[counter: "task-clock"]?.value ?? 0) > 0)
        #expect((reading[counter: "page-faults"]?.value ?? 0) > 0)
        #expect((reading[counter: "context-switches"]?.value ?? 0) >= 1)
        #expect(reading[counter: "task-clock"]?.unit == "ns")
        let hasCorePMU = EventSourceDirectory().pmuNames().contains { ["cpu", "cpu_core", "cpu_atom"].contains($0) }
        for name in ["cycles", "instructions"] {
            let event = try #require(reading[counter: name])
            if hasCorePMU {
                #expect(event.value != nil)
            } else {
                #expect(event.value == nil)
                #expect(event.errnoName == "ENOENT")
                #expect(event.unsupportedReason?.contains("no such PMU: the kernel exposes no 'cpu' PMU here") == true)
            }
        }
        let json = try MeasurementJSON.string(reading)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["exit_status"] as? Int == 0)
        let counters = try #require(object["counters"] as? [[String: Any]])
        #expect(counters.count == names.count)
        for counter in counters {
            #expect(counter.keys.contains("value"))
            #expect(counter.keys.contains("scaled"))
            #expect(counter.keys.contains("unsupported_reason"))
        }
    }
}
