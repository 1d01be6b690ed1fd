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

    @Test("the command's own failure is data: exit status and signal are reported, the measurement stands")
    func childStatus() throws {
        let failed = try CommandMeasurement.run(arguments: ["sh", "-c", "exit 3"], counterNames: ["task-clock"], energy: nil)
        #expect(failed.status.exitStatus == 3)
        #expect(failed[counter: "task-clock"]?.value != nil)
        let killed = try CommandMeasurement.run(arguments: ["sh", "-c", "kill -TERM $$"], counterNames: [], energy: nil)
        #expect(killed.status.exitStatus == nil)
        #expect(killed.status.signal == 15)
    }

    @Test("children of the command are counted (inherit): task-clock covers the CPU time wait4 reports")
    func childrenCounted() throws {
        // The work happens in a forked subshell, not in the measured process itself.
        let script = "(i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done); true"
        let r = try CommandMeasurement.run(arguments: ["sh", "-c", script], counterNames: ["task-clock"], energy: nil)
        #expect(r.status.exitStatus == 0)
        let counted = try #require(r[counter: "task-clock"]?.value) * 1e-9
        let rusage = r.status.userSeconds + r.status.systemSeconds
        // rusage includes the reaped subshell; without inherit task-clock would hold only the
        // parent shell's few milliseconds.
        #expect(rusage > 0.02)
        #expect(counted >= 0.8 * rusage, "task-clock \(counted) s, rusage \(rusage) s")
    }

    @Test("errors before anything runs: unknown command, malformed counter string")
    func launchErrors() {
        #expect {
            try CommandMeasurement.run(arguments: ["no-such-command-bitbench"], counterNames: [], energy: nil)
        } throws: { error in
            "\(error)" == "command not found: 'no-such-command-bitbench' (searched PATH)"
        }
        #expect(throws: CommandLaunchError.self) {
            try CommandMeasurement.run(arguments: ["/etc/hostname"], counterNames: [], energy: nil)
        }
        #expect(throws: CounterConfigurationError.self) {
            try CommandMeasurement.run(arguments: ["true"], counterNames: ["cpu/event=0x1/x"], energy: nil)
        }
    }

    @Test("--energy auto on this machine: measured joules where RAPL works, else 'rapl: unavailable (…)' and no number")
    func energyAutoHere() throws {
        let probe = EnergyProbe(selection: .auto)
        defer { probe.close() }
        let r = try CommandMeasurement.run(arguments: ["sleep", "0.2"], counterNames: [], energy: probe)
        let energy = try #require(r.energy)
        if energy.measured {
            #expect(energy.method.isMeasurement)
            #expect((energy.joules ?? 0) > 0)
        } else {
            #expect(energy.method == .none)
            #expect(energy.joules == nil)
            #expect(energy.averageWatts == nil)
            #expect(energy.joulesPerToken == nil)
            #expect(energy.domains.allSatisfy { $0.joules == nil })
            #expect(energy.reason?.hasPrefix("rapl: unavailable (") == true)
            #expect(energy.reason?.contains("model: no term could be computed") == true)
            let text = CommandReportText.render(r)
            #expect(text.contains("rapl: unavailable"))
            #expect(!text.contains(" J "))
        }
    }

    @Test("the built binary: -o json is one valid object; usage errors exit non-zero", .enabled(if: BitBenchExecutable.url != nil))
    func binary() throws {
        let run = try BitBenchExecutable.run(["measure", "-o", "json", "--energy", "model", "--tdp", "50",
                                      "--counters", "task-clock,page-faults,context-switches,cycles,instructions",
                                      "--", "sleep", "0.2"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["exit_status"] as? Int == 0)
        #expect((object["wall_seconds"] as? Double ?? 0) >= 0.2)
        let counters = try #require(object["counters"] as? [[String: Any]])
        #expect(counters.map { $0["name"] as? String } == ["task-clock", "page-faults", "context-switches", "cycles", "instructions"])
        let energy = try #require(object["energy"] as? [String: Any])
        #expect(energy["method"] as? String == "model")
        #expect(energy["measured"] as? Bool == false)
        let estimate = try #require(energy["estimate"] as? [String: Any])
        #expect(estimate["label"] as? String == "ESTIMATE (energy model), not a measurement")
        #expect((estimate["formula"] as? String)?.hasPrefix("E = ") == true)
        #expect(estimate["covers"] as? [String] == ["static"])

        let usage = try BitBenchExecutable.run(["measure", "--energy", "bogus", "--", "true"])
        #expect(usage.status != 0)
        #expect(usage.stderr.contains("--energy: expected auto, perf-rapl, sysfs-rapl, msr-rapl, model or none"))
        let missing = try BitBenchExecutable.run(["measure", "--", "no-such-command-bitbench"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("bitbench: error: command not found"))
        let noCommand = try BitBenchExecutable.run(["measure"])
        #expect(noCommand.status != 0)
    }
}
