/// The kernel's PMUs under /sys/bus/event_source/devices (injectable root, so tests use fixtures).
public struct EventSourceDirectory: Sendable {
    /// The default location.
    public static let defaultRoot = "/sys/bus/event_source/devices"

    /// The directory standing for /sys/bus/event_source/devices.
    public var root: String
    /// How files are read.
    public var files: any FileAccess

    /// A reader of `root`.
    public init(root: String = EventSourceDirectory.defaultRoot, files: any FileAccess = SystemFileAccess()) {
        self.root = root
        self.files = files
    }

    /// The PMU names the kernel exposes (empty when the directory is missing).
    public func pmuNames() -> [String] {
        (try? files.directoryEntries(root)) ?? []
    }

    /// True for a core PMU, the one hardware events (cycles, instructions) count on: x86 `cpu`,
    /// hybrid `cpu_core`/`cpu_atom`, ARM `armv8_*`/`armv9_*` (tools/perf pmu code).
    public static func isCorePMU(_ name: String) -> Bool {
        ["cpu", "cpu_core", "cpu_atom"].contains(name) || name.hasPrefix("armv8") || name.hasPrefix("armv9")
    }

    /// The PMU directory path.
    public func path(ofPMU name: String) -> String { root + "/" + name }

    /// Reads a PMU's type, formats, event aliases and cpumask. Throws `SystemError`
    /// (ENOENT when the kernel has no such PMU), `SysfsValueError` for a type or cpumask the kernel
    /// would not write, or `CounterConfigurationError` for a format it cannot parse.
    public func pmu(_ name: String) throws -> KernelPMU {
        let dir = path(ofPMU: name)
        let typeText = try files.readTrimmed(dir + "/type")
        guard let type = UInt32(typeText) else {
            throw SysfsValueError(path: dir + "/type", text: typeText, expected: "a decimal PMU type")
        }
        var formats: [String: PMUFormatField] = [:]
        for term in (try? files.directoryEntries(dir + "/format")) ?? [] {
            formats[term] = try PMUFormatField(parsing: files.readText(dir + "/format/" + term))
        }
        var events: [String: KernelPMU.Event] = [:]
        let eventFiles = (try? files.directoryEntries(dir + "/events")) ?? []
        for file in eventFiles where !file.contains(".") {
            let base = dir + "/events/" + file
            let terms = try files.readTrimmed(base)
            let scale = eventFiles.contains(file + ".scale") ? Double(try files.readTrimmed(base + ".scale")) : nil
            let unit = eventFiles.contains(file + ".unit") ? try files.readTrimmed(base + ".unit") : nil
            events[file] = KernelPMU.Event(terms: terms, scale: scale, unit: unit)
        }
        var cpus: [Int]? = nil
        if files.exists(dir + "/cpumask") {
            let text = try files.readTrimmed(dir + "/cpumask")
            do {
                cpus = try CPUList.parse(text)
            } catch let error as CPUListError {
                throw SysfsValueError(path: dir + "/cpumask", text: text, expected: "a CPU list (\(error.problem))")
            }
        }
        return KernelPMU(name: name, type: type, formats: formats, events: events, cpumask: cpus)
    }

}

/// One PMU the kernel exposes: its perf type, the syntax of its event terms and its named events.
public struct KernelPMU: Sendable {
    /// A named event of the PMU (`events/<name>`), e.g. power's `energy-pkg` = `event=0x02`.
    public struct Event: Sendable, Equatable {
        /// The terms, e.g. `event=0x02`.
        public var terms: String
        /// `<name>.scale`: multiply counts by this.
        public var scale: Double?
        /// `<name>.unit`, e.g. `Joules`.
        public var unit: String?
    }

    /// Directory name, e.g. `cpu`, `power`, `software`.
    public var name: String
    /// perf_event_attr.type for this PMU.
    public var type: UInt32
    /// Term name to bit placement (`format/`).
    public var formats: [String: PMUFormatField]
    /// Named events (`events/`).
    public var events: [String: Event]
    /// CPUs to open system-wide events on (one per socket for uncore and power), when given.
    public var cpumask: [Int]?

    /// Encodes `term=value,…` (values hex `0x…` or decimal; a bare term means 1; a term naming
    /// one of the PMU's events expands to that event's terms).
    public func encode(terms text: String) throws -> (config: UInt64, config1: UInt64, config2: UInt64) {
        var fields: [UInt64] = [0, 0, 0]
        for raw in text.split(separator: ",") {
            let item = raw.strippingWhitespace()
            if item.isEmpty { continue }
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            let term = pair[0]
            if pair.count == 1, let event = events[term] {
                let expanded = try encode(terms: event.terms)
                fields[0] |= expanded.config
                fields[1] |= expanded.config1
                fields[2] |= expanded.config2
                continue
            }
            guard let format = formats[term] else {
                let known = formats.keys.sorted().joined(separator: ", ")
                throw CounterConfigurationError("PMU '\(name)' has no term '\(term)' (its terms: \(known.isEmpty ? "none" : known))")
            }
            let value: UInt64
            if pair.count == 1 {
                value = 1
            } else if let parsed = Self.parseNumber(pair[1]) {
                value = parsed
            } else {
                throw CounterConfigurationError("PMU '\(name)' term '\(term)': '\(pair[1])' is not a number (0x… or decimal)")
            }
            fields[format.field] |= try format.place(value, term: term)
        }
        return (fields[0], fields[1], fields[2])
    }

    /// Parses `0x1f` or `31`.
    static func parseNumber(_ text: String) -> UInt64? {
        let t = text.strippingWhitespace().lowercased()
        if t.hasPrefix("0x") { return UInt64(t.dropFirst(2), radix: 16) }
        return UInt64(t)
    }
}
