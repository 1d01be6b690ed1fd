/// The CPU: model, ISA features, packages, cores, threads and caches.
public struct CPUSection: SystemInfoSection {
    public static let key = "cpu"
    public static let title = "CPU"

    /// One ISA feature and whether the kernel lists it.
    public struct Feature: Codable, Equatable, Sendable {
        /// The feature, e.g. `AVX2`.
        public var name: String
        /// True when /proc/cpuinfo lists its flag.
        public var present: Bool
    }

    /// Counts and caches from the sysfs topology.
    public struct Layout: Codable, Equatable, Sendable {
        /// Packages (sockets).
        public var packages: Int
        /// Physical cores.
        public var cores: Int
        /// Online hardware threads.
        public var threads: Int
        /// Most threads on one core.
        public var threadsPerCore: Int
        /// Online CPUs as a kernel list.
        public var onlineCPUs: String
        /// One entry per cache level and kind.
        public var caches: [CacheLevel]
        /// What the topology reader found missing or odd.
        public var notes: [String]
    }

    /// The caches of one level and kind.
    public struct CacheLevel: Codable, Equatable, Sendable {
        /// `L1d`, `L1i`, `L2`, `L3`.
        public var name: String
        /// Bytes per instance, if known.
        public var sizeBytes: Int?
        /// How many instances.
        public var instances: Int
        /// CPUs sharing one instance (the largest group).
        public var cpusPerInstance: Int
        /// Line size, if known.
        public var lineBytes: Int?
    }

    /// `model name`.
    public var model: Known<String>
    /// `vendor_id` or the ARM implementer code.
    public var vendor: Known<String>
    /// `x86-64`, `arm64` or `other`, from which cpuinfo flag line is present.
    public var architecture: Known<String>
    /// Family/model/stepping or ARM part numbers.
    public var identification: [String: String]
    /// True when the CPU says it runs under a hypervisor.
    public var hypervisor: Bool
    /// The features of `ISAFeature.table` for this architecture.
    public var isaFeatures: [Feature]
    /// Where the feature bits come from.
    public var isaSource: String
    /// Cores, threads, caches.
    public var layout: Known<Layout>

    public static func collect(_ context: SystemInfoContext) -> CPUSection {
        let source = "\(context.paths.procfsReader.path("cpuinfo")) flags (the kernel lists a feature only when it enabled it)"
        var section = CPUSection(model: .unknown(""), vendor: .unknown(""), architecture: .unknown(""), identification: [:],
                                 hypervisor: false, isaFeatures: [], isaSource: source, layout: .unknown(""))
        switch context.cpuInfo {
        case .success(let info):
            section.model = info.modelName.map(Known.known) ?? .unknown("cpuinfo has no 'model name' line")
            section.vendor = info.vendor.map(Known.known) ?? .unknown("cpuinfo has no vendor_id or CPU implementer line")
            section.architecture = info.family == .other ? .unknown("cpuinfo has neither a flags nor a Features line") : .known(info.family.rawValue)
            section.identification = info.identification
            section.hypervisor = info.underHypervisor
            section.isaFeatures = ISAFeature.table.filter { $0.family == info.family }.map { feature in
                Feature(name: feature.name, present: feature.flags.contains(where: info.flags.contains))
            }
        case .failure(let error):
            for keyPath in [\CPUSection.model, \.vendor, \.architecture] { section[keyPath: keyPath] = .unknown(error.description) }
        }
        switch context.topology {
        case .success(let topology):
            section.layout = .known(layout(of: topology))
        case .failure(let error):
            section.layout = .unknown(error.description)
        }
        return section
    }

    static func layout(of topology: Topology) -> Layout {
        var levels: [String: [CacheInstance]] = [:]
        for cache in topology.caches { levels[cache.label, default: []].append(cache) }
        let caches = topology.caches.map(\.label).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            .map { name -> CacheLevel in
                let group = levels[name]!
                return CacheLevel(name: name, sizeBytes: group[0].sizeBytes, instances: group.count,
                                  cpusPerInstance: group.map(\.cpus.count).max() ?? 0, lineBytes: group[0].lineBytes)
            }
        return Layout(packages: topology.packages.count, cores: topology.cores.count, threads: topology.cpus.count,
                      threadsPerCore: topology.threadsPerCore, onlineCPUs: CPUList.format(topology.cpus.map(\.id)),
                      caches: caches, notes: topology.notes)
    }

    public var textLines: [SystemInfoLine] {
        var lines = [
            SystemInfoLine("model", model.text { $0 }),
            SystemInfoLine("vendor", vendor.text { $0 }),
            SystemInfoLine("architecture", architecture.text { $0 } + (hypervisor ? " (under a hypervisor)" : "")),
        ]
        if !isaFeatures.isEmpty {
            let present = isaFeatures.filter(\.present).map(\.name)
            let absent = isaFeatures.filter { !$0.present }.map(\.name)
            lines.append(SystemInfoLine("ISA features", present.isEmpty ? "none of the tracked ones" : present.joined(separator: " ")))
            if !absent.isEmpty { lines.append(SystemInfoLine("ISA absent", absent.joined(separator: " "))) }
        }
        switch layout {
        case .known(let layout):
            lines.append(SystemInfoLine("packages", "\(layout.packages)"))
            lines.append(SystemInfoLine("cores", "\(layout.cores) (\(layout.threadsPerCore) thread\(layout.threadsPerCore == 1 ? "" : "s") per core)"))
            lines.append(SystemInfoLine("threads", "\(layout.threads) online (\(layout.onlineCPUs))"))
            for cache in layout.caches {
                let size = cache.sizeBytes.map { ByteCount.format($0) } ?? "size unknown"
                lines.append(SystemInfoLine(cache.name, "\(size) x \(cache.instances), shared by \(cache.cpusPerInstance) CPU\(cache.cpusPerInstance == 1 ? "" : "s")"))
            }
            for note in layout.notes { lines.append(SystemInfoLine("topology note", note)) }
        case .unknown(let reason):
            lines.append(SystemInfoLine("topology", "unknown (\(reason))"))
        }
        return lines
    }
}
