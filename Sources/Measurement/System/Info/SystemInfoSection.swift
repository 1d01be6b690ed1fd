/// One part of `SystemInfo` (CPU, NUMA, memory, perf, probes, …), collected and printed on its own.
///
/// A new section is a type in its own file conforming to this protocol, plus one line in
/// `SystemInfo.sectionTypes`. Collection never throws: what cannot be read is recorded as
/// unknown or unavailable with the reason.
public protocol SystemInfoSection: Codable, Sendable {
    /// The JSON key, e.g. `cpu`.
    static var key: String { get }
    /// The heading in text output, e.g. `CPU`.
    static var title: String { get }
    /// Reads the section from the machine (or recorded tree) of `context`.
    static func collect(_ context: SystemInfoContext) -> Self
    /// The text report's lines.
    var textLines: [SystemInfoLine] { get }
    /// Why results on this machine may not be trustworthy (debug build, scaling governor …).
    var warnings: [String] { get }
}

extension SystemInfoSection {
    /// No warnings unless a section has them.
    public var warnings: [String] { [] }
}

/// One `label: value` line of the text report.
public struct SystemInfoLine: Equatable, Sendable {
    /// The left column.
    public var label: String
    /// The right column.
    public var value: String

    /// A line.
    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// What sections read from: the roots, plus values several sections share, read once.
public struct SystemInfoContext: Sendable {
    /// sysfs, procfs and /dev roots.
    public let paths: SystemPaths
    /// The topology, or why it could not be read.
    public let topology: Result<Topology, TopologyFailure>
    /// /proc/cpuinfo, or why it could not be read.
    public let cpuInfo: Result<CPUInfo, TopologyFailure>

    /// An error from reading the topology or cpuinfo, kept as text so the context is Sendable.
    public struct TopologyFailure: Error, Sendable, CustomStringConvertible {
        /// The underlying error's description.
        public var description: String
    }

    /// Reads the shared values below `paths`.
    public init(paths: SystemPaths) {
        self.paths = paths
        do {
            topology = .success(try TopologyReader(paths: paths).read())
        } catch {
            topology = .failure(TopologyFailure(description: "\(error)"))
        }
        do {
            cpuInfo = .success(try CPUInfo.read(from: paths.procfsReader))
        } catch {
            cpuInfo = .failure(TopologyFailure(description: "\(error)"))
        }
    }

    /// True when the roots are the running machine's, so live-only queries apply to them.
    public var isLive: Bool { paths.isLive }

    /// The sentence live-only probes give for a recorded tree.
    public static let recordedTreeReason = "not queried: the roots point at a recorded tree, not the running machine"
}
