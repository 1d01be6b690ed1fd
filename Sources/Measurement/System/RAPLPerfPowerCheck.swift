import CPerfEvent
#if canImport(Glibc)
import Glibc
#endif

/// The live check of the perf `power` PMU: open each energy event system-wide, wait, and see
/// whether the count moves (a hypervisor may expose the PMU yet pass no energy through).
extension RAPLDiscovery {
    // Opens each event system-wide on the PMU's first CPU, waits, and sees whether it moved.
    func openAndWatch(events: [String], pmu: String) -> Availability {
        let sysfs = paths.sysfsReader
        guard let type = try? sysfs.integer("\(pmu)/type") else {
            return .unavailable("\(sysfs.path(pmu + "/type")) is unreadable")
        }
        let cpu = ((try? sysfs.list("\(pmu)/cpumask")) ?? [0]).first ?? 0
        var opened: [(event: String, fd: Int32, start: UInt64)] = []
        var failures: [String] = []
        defer { for item in opened { close(item.fd) } }
        for event in events {
            guard let config = try? eventConfig(sysfs.string("\(pmu)/events/\(event)"), pmu: pmu) else {
                failures.append("\(event): its sysfs encoding is not of the form event=0x..")
                continue
            }
            let fd = openSystemWide(type: UInt32(type), config: config, cpu: Int32(cpu))
            if fd < 0 {
                failures.append("\(event): \(SystemError.current("perf_event_open", path: "power/\(event)/ on CPU \(cpu)"))\(permissionHint(errno))")
                continue
            }
            guard let start = readCounter(fd) else {
                failures.append("\(event): \(SystemError.current("read", path: "power/\(event)/"))")
                close(fd)
                continue
            }
            opened.append((event, fd, start))
        }
        usleep(settleMicroseconds)
        var moving: [String] = [], still: [String] = []
        for item in opened {
            if let end = readCounter(item.fd), end != item.start { moving.append(item.event) } else { still.append(item.event) }
        }
        if !moving.isEmpty {
            return .available("opened and counting: \(moving.joined(separator: ", "))")
        }
        var reasons = failures
        if !still.isEmpty {
            let hint = cpuInfo?.underHypervisor == true ? "; the CPU reports a hypervisor, which commonly does not pass RAPL through" : ""
            reasons.append("\(still.joined(separator: ", ")) opened but did not advance in \(settleMicroseconds / 1000) ms\(hint)")
        }
        return .unavailable(reasons.joined(separator: "; "))
    }

    // `event=0x05` with the PMU's format `config:0-7` gives config 0x05 (perf's sysfs event syntax).
    private func eventConfig(_ text: String, pmu: String) throws -> UInt64 {
        var config: UInt64 = 0
        for term in text.split(separator: ",") {
            let parts = term.split(separator: "=")
            let name = String(parts[0])
            let valueText = parts.count > 1 ? String(parts[1]) : "1"
            let value = valueText.hasPrefix("0x") ? UInt64(valueText.dropFirst(2), radix: 16) : UInt64(valueText)
            let format = try paths.sysfsReader.string("\(pmu)/format/\(name)")
            guard let value, format.hasPrefix("config:") else {
                throw SysfsValueError(path: paths.sysfsReader.path("\(pmu)/format/\(name)"), text: format, expected: "config:<low>-<high>")
            }
            let low = UInt64(format.dropFirst("config:".count).prefix { $0 != "-" }) ?? 0
            config |= value << low
        }
        return config
    }

    private func openSystemWide(type: UInt32, config: UInt64, cpu: Int32) -> Int32 {
        // struct perf_event_attr: type at 0, size at 4, config at 8 (<linux/perf_event.h>);
        // every other field zero: enabled at open, counting everything.
        let size = Int(bb_perf_event_attr_size())
        var attr = [UInt8](repeating: 0, count: size)
        attr.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: type, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: UInt32(size), toByteOffset: 4, as: UInt32.self)
            raw.storeBytes(of: config, toByteOffset: 8, as: UInt64.self)
        }
        // PERF_FLAG_FD_CLOEXEC = 1 << 3.
        return attr.withUnsafeMutableBytes { bb_perf_event_open($0.baseAddress, -1, cpu, -1, 1 << 3) }
    }

    private func readCounter(_ fd: Int32) -> UInt64? {
        var value: UInt64 = 0
        let n = withUnsafeMutableBytes(of: &value) { read(fd, $0.baseAddress, 8) }
        return n == 8 ? value : nil
    }

    private func permissionHint(_ code: Int32) -> String {
        guard code == EACCES || code == EPERM else { return "" }
        return " (system-wide events need CAP_PERFMON, root, or kernel.perf_event_paranoid < 1)"
    }
}
