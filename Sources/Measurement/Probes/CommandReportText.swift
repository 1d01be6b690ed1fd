import Foundation

/// `bitbench measure`'s text report, shaped like `perf stat`'s: counters, energy, derived
/// metrics, times and the command's exit status.
public enum CommandReportText {
    /// The whole report.
    public static func render(_ reading: CommandReading) -> String {
        var lines: [String] = []
        lines.append("")
        lines.append(" Performance counter stats for '\(reading.command.joined(separator: " "))':")
        lines.append("")
        let cpus = reading.metrics.first { $0.name == "CPUs utilized" }?.value
        for counter in reading.counters {
            lines.append(counterLine(counter, cpusUtilized: cpus))
        }
        if reading.counters.isEmpty { lines.append("   (no counters requested)") }
        if let energy = reading.energy {
            lines.append("")
            lines.append(contentsOf: energyLines(energy))
        }
        let shown = reading.metrics.filter { $0.name != "CPUs utilized" || $0.value == nil }
        if !shown.isEmpty {
            lines.append("")
            lines.append(" Derived metrics:")
            for metric in shown {
                if let value = metric.value {
                    lines.append("   \(pad(metric.name, 26)) \(number(value)) \(metric.unit)   (\(metric.formula))")
                } else {
                    lines.append("   \(pad(metric.name, 26)) n/a   \(metric.reason ?? "")")
                }
            }
        }
        lines.append("")
        lines.append(String(format: "   %16.9f seconds time elapsed", reading.wallSeconds))
        lines.append("")
        lines.append(String(format: "   %16.9f seconds user", reading.status.userSeconds))
        lines.append(String(format: "   %16.9f seconds sys", reading.status.systemSeconds))
        lines.append("")
        if let code = reading.status.exitStatus {
            lines.append(" Command exited with status \(code)")
        } else if let signal = reading.status.signal {
            lines.append(" Command was killed by signal \(signal)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func counterLine(_ counter: CounterValue, cpusUtilized: Double?) -> String {
        guard let value = counter.value else {
            let code = counter.errnoName.map { "\($0): " } ?? ""
            return "   \(lpad("<not supported>", 18))      \(pad(counter.name, 24)) # \(code)\(counter.unsupportedReason ?? "")"
        }
        var text: String
        if counter.unit == "ns" {
            text = "   \(lpad(String(format: "%.2f", value / 1e6), 18)) msec \(pad(counter.name, 24))"
            if counter.name == "task-clock", let cpusUtilized {
                text += String(format: " #  %8.3f CPUs utilized", cpusUtilized)
            }
        } else {
            let shown = value.rounded() == value || counter.scaled ? "\(Int64(value.rounded()))" : String(format: "%.4g", value)
            text = "   \(lpad(shown, 18))      \(pad(counter.name, 24))"
            if let unit = counter.unit { text += " \(unit)" }
        }
        if counter.scaled, let enabled = counter.timeEnabledNanoseconds, let running = counter.timeRunningNanoseconds, enabled > 0 {
            text += String(format: "  (scaled: counted %.1f%% of the time)", 100 * Double(running) / Double(enabled))
        }
        return text
    }

    static func energyLines(_ energy: EnergyReading) -> [String] {
        var lines: [String] = []
        switch energy.method {
        case .perfRAPL, .sysfsRAPL, .msrRAPL:
            lines.append(" Energy (\(energy.method.rawValue), measured; requested \(energy.requested)):")
            for domain in energy.domains {
                if let joules = domain.joules {
                    var text = "   \(lpad(String(format: "%.3f", joules), 14)) J   \(pad(domain.name, 10))"
                    if let watts = domain.averageWatts { text += String(format: " %9.2f W", watts) }
                    if let idle = domain.idleWatts, let net = domain.netJoules {
                        text += String(format: "   (idle %.2f W, net %.3f J)", idle, net)
                    }
                    lines.append(text)
                } else {
                    lines.append("   \(lpad("n/a", 14))     \(pad(domain.name, 10)) \(domain.reason ?? "")")
                }
            }
            if let joules = energy.joules {
                var text = "   \(lpad(String(format: "%.3f", joules), 14)) J   total"
                if let watts = energy.averageWatts { text += String(format: " %9.2f W", watts) }
                if let net = energy.netJoules { text += String(format: "   net %.3f J", net) }
                if let perToken = energy.joulesPerToken { text += String(format: "   %.4g J/token", perToken) }
                if let netPerToken = energy.netJoulesPerToken { text += String(format: " (net %.4g J/token)", netPerToken) }
                lines.append(text)
            }
            if let reason = energy.reason { lines.append("   note: \(reason)") }
            if let idle = energy.idleBaseline {
                lines.append(String(format: "   idle baseline measured over %.2f s", idle.seconds))
            }
        case .model:
            lines.append(" Energy (model): \(EnergyModel.label)")
            if let estimate = energy.estimate {
                lines.append("   formula: \(estimate.formula)")
                for term in estimate.terms {
                    if let joules = term.joules {
                        lines.append("   \(pad(term.name, 11)) ~\(String(format: "%.4g", joules)) J   (\(term.detail))")
                    } else {
                        lines.append("   \(pad(term.name, 11)) n/a   \(term.detail)")
                    }
                }
                if let joules = estimate.joules {
                    lines.append("   estimate    ~\(String(format: "%.4g", joules)) J, covering \(estimate.covers.joined(separator: " + "))")
                }
                lines.append("   constants: \(estimate.constantsOrigin)")
            }
            if let reason = energy.reason { lines.append("   note: \(reason)") }
        case .none:
            lines.append(" Energy (requested \(energy.requested)): no figure")
            if energy.attempts.isEmpty {
                lines.append("   \(energy.reason ?? "unavailable")")
            } else {
                lines.append("   rapl: unavailable")
                for attempt in energy.attempts {
                    lines.append("     \(pad(attempt.method.rawValue + ":", 11)) \(attempt.reason)")
                }
            }
            if let estimate = energy.estimate {
                lines.append("   model: \(estimate.reason ?? "no estimate")")
            }
        }
        return lines
    }

    static func number(_ value: Double) -> String {
        abs(value) >= 1e6 || (abs(value) < 1e-3 && value != 0) ? String(format: "%.4e", value) : String(format: "%.4f", value)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func lpad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
