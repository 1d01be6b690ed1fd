import CPerfEvent
#if canImport(Glibc)
import Glibc
#endif

/// Turns event names into perf_event_attr encodings: raw `rNNNN` codes, `pmu/term=…/` strings
/// (through the PMU's sysfs format files), names libpfm4 knows (generic or PMU-specific, like
/// `amd64_fam19h_zen3::RETIRED_INSTRUCTIONS`), and the kernel's generic names as a fallback.
public struct EventResolver: Sendable {
    /// The outcome for one name: an encoding, or why the event cannot be counted here.
    public enum Resolution: Sendable, Equatable {
        /// Ready to open.
        case encoded(PerfEventEncoding)
        /// Cannot be encoded here; `errno` is set when the cause is a system one (ENOENT: no PMU).
        case unsupported(errno: Int32?, reason: String)
    }

    /// The kernel's PMU directory, for `pmu/…/` strings and explanations.
    public var eventSource: EventSourceDirectory
    /// libpfm4, or nil to resolve without it.
    public var libpfm: PFMLibrary?

    /// A resolver over the given event-source root, using libpfm4 by default.
    public init(eventSource: EventSourceDirectory = EventSourceDirectory(), libpfm: PFMLibrary? = .shared) {
        self.eventSource = eventSource
        self.libpfm = libpfm
    }

    /// Splits a `--counters` list at commas outside `pmu/…/` strings; rejects empty items.
    public static func parseList(_ text: String) throws -> [String] {
        var items: [String] = []
        var current = ""
        var insideSlashes = false
        for ch in text {
            if ch == "/" { insideSlashes.toggle() }
            if ch == "," && !insideSlashes {
                items.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        items.append(current)
        let trimmed = items.map { $0.strippingWhitespace() }
        if insideSlashes {
            throw CounterConfigurationError("counter list '\(text)': a pmu/…/ string is not closed with '/'")
        }
        if let empty = trimmed.firstIndex(where: \.isEmpty) {
            throw CounterConfigurationError("counter list '\(text)': item \(empty + 1) is empty")
        }
        return trimmed
    }

    /// Resolves one name. Throws `CounterConfigurationError` for malformed syntax (a user error);
    /// names that are well-formed but unknown or unsupported here come back as `.unsupported`.
    public func resolve(_ name: String) throws -> Resolution {
        if name.contains("/") { return try resolvePMUString(name) }
        let (base, modifiers) = Self.splitModifiers(name)
        if let raw = try Self.rawEncoding(base) {
            return .encoded(try Self.apply(modifiers, to: raw, name: name))
        }
        var libpfmNote = "libpfm4 not used"
        if let libpfm {
            switch libpfm.encode(name) {
            case .success(var encoding):
                if encoding.isSoftware {
                    // Software events are counted in kernel context (a context switch happens
                    // there); user-only exclusion would make them read 0.
                    encoding.excludeKernel = false
                    encoding.excludeHypervisor = false
                    encoding.unit = GenericPerfEvents.unit(forSoftwareConfig: encoding.config)
                }
                return .encoded(encoding)
            case .failure(let failure):
                libpfmNote = failure.description
            }
        }
        if let generic = GenericPerfEvents.encoding(for: base) {
            var encoding = try Self.apply(modifiers, to: generic, name: name)
            encoding.detail += " (\(libpfmNote))"
            return .encoded(encoding)
        }
        return .unsupported(errno: nil, reason: unknownNameReason(name, libpfmNote: libpfmNote))
    }

    private func unknownNameReason(_ name: String, libpfmNote: String) -> String {
        let present = libpfm?.presentPMUs().map(\.name) ?? []
        if let range = name.range(of: "::") {
            let pmu = String(name[..<range.lowerBound])
            if !present.contains(pmu) {
                return "unknown event: libpfm4 does not detect PMU '\(pmu)' on this CPU (it detects: \(present.joined(separator: ", "))); LIBPFM_FORCE_PMU=\(pmu) forces it for encoding only"
            }
        }
        return "unknown event '\(name)': \(libpfmNote); not a generic perf event, an rNNNN raw code or a pmu/term=…/ string"
    }

    /// `cycles:uk` → ("cycles", "uk"); names without a perf-style modifier come back whole
    /// (libpfm4 names carry their own `:attr=value` parts).
    static func splitModifiers(_ name: String) -> (String, String) {
        guard let colon = name.lastIndex(of: ":") else { return (name, "") }
        let suffix = name[name.index(after: colon)...]
        guard !suffix.isEmpty, suffix.allSatisfy({ "ukh".contains($0) }),
              name[..<colon].last != ":" else { return (name, "") }
        return (String(name[..<colon]), String(suffix))
    }

    /// Applies perf's `u`/`k`/`h` modifiers (count only those levels); "" keeps the default.
    static func apply(_ modifiers: String, to encoding: PerfEventEncoding, name: String) throws -> PerfEventEncoding {
        guard !modifiers.isEmpty else { return encoding }
        var e = encoding
        e.excludeUser = !modifiers.contains("u")
        e.excludeKernel = !modifiers.contains("k")
        e.excludeHypervisor = !modifiers.contains("h")
        return e
    }

    /// `r1c2` → PERF_TYPE_RAW config 0x1c2; nil when the name is not of that form.
    static func rawEncoding(_ name: String) throws -> PerfEventEncoding? {
        guard name.count > 1, name.first == "r" else { return nil }
        let hex = name.dropFirst()
        guard hex.allSatisfy(\.isHexDigit) else { return nil }
        guard hex.count <= 16, let config = UInt64(hex, radix: 16) else {
            throw CounterConfigurationError("raw event '\(name)': more than 64 bits")
        }
        return PerfEventEncoding(type: UInt32(BB_PERF_TYPE_RAW), config: config, source: .raw,
                                 detail: "PERF_TYPE_RAW config=0x\(String(config, radix: 16))")
    }

    /// `cpu/event=0xc0,umask=0x0/` or `power/energy-pkg/`, with optional `u`/`k` after the slash.
    private func resolvePMUString(_ name: String) throws -> Resolution {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, !parts[0].isEmpty else {
            throw CounterConfigurationError("event '\(name)': expected pmu/term=value,…/ (as in perf stat)")
        }
        let pmuName = parts[0], terms = parts[1], modifiers = parts[2]
        guard modifiers.allSatisfy({ "ukh".contains($0) }) else {
            throw CounterConfigurationError("event '\(name)': unknown modifier '\(modifiers)' after the PMU string (u, k or h)")
        }
        let pmu: KernelPMU
        do {
            pmu = try eventSource.pmu(pmuName)
        } catch let error as SystemError where error.errno == ENOENT {
            let available = eventSource.pmuNames().joined(separator: ", ")
            return .unsupported(errno: ENOENT, reason:
                "no such PMU: the kernel exposes no '\(pmuName)' PMU here (\(eventSource.path(ofPMU: pmuName)) is absent; present: \(available.isEmpty ? "none" : available))")
        } catch let error as SystemError {
            return .unsupported(errno: error.errno, reason: "cannot read PMU '\(pmuName)': \(error)")
        }
        let config = try pmu.encode(terms: terms)
        let alias = pmu.events[terms.strippingWhitespace()]
        var encoding = PerfEventEncoding(
            type: pmu.type, config: config.config, config1: config.config1, config2: config.config2,
            source: .sysfsFormat, detail: "\(pmuName)/\(terms)/ type=\(pmu.type) config=0x\(String(config.config, radix: 16))",
            pmu: pmuName, scale: alias?.scale, unit: alias?.unit)
        encoding = try Self.apply(modifiers, to: encoding, name: name)
        return .encoded(encoding)
    }
}
