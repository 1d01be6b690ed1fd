import ArgumentParser
import Foundation
import Measurement

/// `bitbench measure`: a `perf stat`-like wrapper that measures any command with the same probes
/// BitBench uses for its own phases.
struct MeasureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Run a command and report its perf counters, wall time and energy (like perf stat).",
        discussion: """
        The command starts paused; counters attach to it with inherit (its threads and children \
        count) and enable on exec. Energy comes from RAPL (perf power PMU, powercap sysfs or MSRs) \
        or, when asked or as auto's fallback, from the energy model, always labelled an estimate.

        Output: text on stderr (as perf stat), or one JSON object on stdout with -o json.
        Exit status: 0 when the command was measured, whatever its own status (that is reported \
        as exit_status / signal); 1 when it could not be measured (not found, bad file); 64 for a \
        usage error in bitbench's own flags.
        """
    )

    @Option(name: .long, help: "Comma-separated events: generic names (cycles, instructions, task-clock, …), libpfm4 names (pmu::EVENT:UMASK), raw rNNNN, or pmu/term=value,…/; 'none' for no counters.")
    var counters: String = "task-clock,context-switches,cpu-migrations,page-faults,cycles,instructions,branches,branch-misses"

    @Option(name: .long, help: "Energy method: auto, perf-rapl, sysfs-rapl, msr-rapl, model or none.")
    var energy: String = "auto"

    @Option(name: .long, help: "Measure idle power for this long first (3s, 500ms) and report net energy.")
    var idleBaseline: String?

    @Option(name: .shortAndLong, help: "Output format: text (stderr) or json (stdout).")
    var output: String = "text"

    @Option(name: .long, help: "Tokens the command processes, for J/token and per-token metrics.")
    var tokens: Int?

    @Option(name: .long, help: "Weights the command processes, for per-weight metrics.")
    var weights: Int?

    @Option(name: .long, help: "Energy-model constants file (default: built-in, as data/energy-model.json).")
    var energyConstants: String?

    @Option(name: .long, help: "CPU TDP in watts, for the energy model's static term.")
    var tdp: Double?

    @Option(name: .long, help: "Derived-metrics file (default: built-in, as data/metrics.json).")
    var metrics: String?

    @Option(name: .long, help: "Root of the powercap tree (default /sys/class/powercap).")
    var powercapRoot: String = "/sys/class/powercap"

    @Option(name: .long, help: "Root of the perf event-source tree (default /sys/bus/event_source/devices).")
    var eventSourceRoot: String = EventSourceDirectory.defaultRoot

    @Option(name: .long, help: "Directory of the MSR devices N/msr (default /dev/cpu).")
    var msrDir: String = "/dev/cpu"

    @Argument(parsing: .captureForPassthrough, help: "-- COMMAND [ARGS…]")
    var command: [String] = []

    func validate() throws {
        // Passthrough capture swallows a help flag given before `--`; answer it as help.
        if command.first == "--help" || command.first == "-h" {
            throw CleanExit.helpRequest(self)
        }
        guard EnergySelection(argument: energy) != nil else {
            throw ValidationError("--energy: expected auto, perf-rapl, sysfs-rapl, msr-rapl, model or none; found '\(energy)'")
        }
        guard output == "text" || output == "json" else {
            throw ValidationError("-o/--output: expected text or json; found '\(output)'")
        }
        if let idleBaseline { _ = try Self.parseDuration(idleBaseline, flag: "--idle-baseline") }
        if let tdp, !(tdp.isFinite && tdp > 0) { throw ValidationError("--tdp: expected a positive number of watts; found \(tdp)") }
        if let tokens, tokens <= 0 { throw ValidationError("--tokens: expected a positive count; found \(tokens)") }
        if let weights, weights <= 0 { throw ValidationError("--weights: expected a positive count; found \(weights)") }
        guard !commandArguments.isEmpty else {
            throw ValidationError("no command given: bitbench measure [options] -- COMMAND [ARGS…]")
        }
    }

    /// The command without the `--` separator.
    var commandArguments: [String] {
        command.first == "--" ? Array(command.dropFirst()) : command
    }

    /// `3s`, `500ms`, `2m` or plain seconds; at most one hour.
    static func parseDuration(_ text: String, flag: String) throws -> Double {
        let units: [(String, Double)] = [("ms", 1e-3), ("s", 1), ("m", 60)]
        var number = text
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = String(text.dropLast(suffix.count))
            scale = factor
            break
        }
        guard let value = Double(number), value.isFinite, value > 0, value * scale <= 3600 else {
            throw ValidationError("\(flag): expected a duration such as 3s or 500ms (at most 1 hour); found '\(text)'")
        }
        return value * scale
    }

    func run() throws {
        do {
            try measure()
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("bitbench: error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func measure() throws {
        let trimmed = counters.trimmingCharacters(in: .whitespaces)
        let names = trimmed.isEmpty || trimmed == "none" ? [] : try EventResolver.parseList(trimmed)
        let environment = EnergyEnvironment(eventSourceRoot: eventSourceRoot, powercapRoot: powercapRoot, msrDirectory: msrDir)
        let resolver = EventResolver(eventSource: environment.eventSource)
        let constants = try energyConstants.map { try EnergyModelConstants.load(path: $0) } ?? .builtIn
        let model = EnergyModel(constants: constants,
                                constantsOrigin: energyConstants ?? "built-in (data/energy-model.json)", tdpWatts: tdp)
        let table = try metrics.map { try MetricTable.load(path: $0) } ?? .builtIn
        let selection = EnergySelection(argument: energy)!
        var probe: EnergyProbe? = nil
        if selection != .method(.none) {
            probe = EnergyProbe(selection: selection, environment: environment, model: model)
        }
        defer { probe?.close() }
        if let idleBaseline, let probe {
            let seconds = try Self.parseDuration(idleBaseline, flag: "--idle-baseline")
            if probe.openMethods.isEmpty {
                FileHandle.standardError.write(Data("bitbench: note: --idle-baseline skipped: no RAPL method is open to measure idle power with\n".utf8))
            } else {
                FileHandle.standardError.write(Data(String(format: "bitbench: measuring idle power for %.1f s…\n", seconds).utf8))
                probe.measureIdleBaseline(seconds: seconds)
            }
        }
        let reading = try CommandMeasurement.run(arguments: commandArguments, counterNames: names, resolver: resolver,
                                                 energy: probe, metrics: table, tokens: tokens, weights: weights)
        if output == "json" {
            print(try MeasurementJSON.string(reading))
        } else {
            FileHandle.standardError.write(Data(CommandReportText.render(reading).utf8))
        }
    }
}
