/// The first processor block of /proc/cpuinfo: vendor, model and the feature flags the kernel
/// enabled (a flag is listed only when the CPU has it and the kernel turned its state on).
public struct CPUInfo: Codable, Equatable, Sendable {
    /// Which flag vocabulary the file uses.
    public enum Family: String, Codable, Sendable {
        /// `flags` line, x86 names (avx2, avx512f …).
        case x86 = "x86-64"
        /// `Features` line, ARM names (asimd, asimddp …).
        case arm = "arm64"
        /// Neither line present.
        case other
    }

    /// x86 or ARM flag vocabulary.
    public var family: Family
    /// `vendor_id` (x86) or `CPU implementer` (ARM), if present.
    public var vendor: String?
    /// `model name`, if present (ARM kernels often omit it).
    public var modelName: String?
    /// `cpu family`, `model`, `stepping` on x86; `CPU part`, `CPU variant`, `CPU revision` on ARM.
    public var identification: [String: String]
    /// Feature flags, as written.
    public var flags: Set<String>

    /// Reads `cpuinfo` from a procfs root.
    public static func read(from procfs: SysfsReader) throws -> CPUInfo {
        parse(try procfs.contents("cpuinfo"))
    }

    /// Parses cpuinfo text; only the first processor block is used (flags are uniform except
    /// on hybrid parts, where the kernel lists the common subset anyway).
    public static func parse(_ text: String) -> CPUInfo {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.strippingWhitespace().isEmpty {
                if !fields.isEmpty && (fields["flags"] != nil || fields["Features"] != nil) { break }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].strippingWhitespace()
            if fields[key] == nil { fields[key] = line[line.index(after: colon)...].strippingWhitespace() }
        }
        let family: Family = fields["flags"] != nil ? .x86 : (fields["Features"] != nil ? .arm : .other)
        let flagText = fields["flags"] ?? fields["Features"] ?? ""
        let idKeys = family == .arm ? ["CPU architecture", "CPU variant", "CPU part", "CPU revision"]
                                    : ["cpu family", "model", "stepping", "microcode"]
        var identification: [String: String] = [:]
        for key in idKeys { if let value = fields[key] { identification[key] = value } }
        return CPUInfo(family: family,
                       vendor: fields["vendor_id"] ?? fields["CPU implementer"],
                       modelName: fields["model name"],
                       identification: identification,
                       flags: Set(flagText.split(separator: " ").map(String.init)))
    }

    /// True when the CPU reports running under a hypervisor (x86 `hypervisor` flag).
    public var underHypervisor: Bool { flags.contains("hypervisor") }
}
