import Foundation
import Measurement
import TestSupport

/// The recorded and modelled machine trees under Tests/Fixtures/Topologies.
enum TopologyFixture: String, CaseIterable, CustomStringConvertible {
    case vm = "vm-1node-2cpu"
    case xeon = "xeon-2s-snc2-16c-smt2"
    case epyc8 = "epyc-2s-nps4-16c-smt2"
    case epyc4 = "epyc-1s-4node-24c-smt2"
    case arm = "arm-neoverse-n1-4c"

    /// The multi-node ones the planning tests must cover.
    static let multiNode: [TopologyFixture] = [.xeon, .epyc8, .epyc4]

    var description: String { rawValue }

    var root: String {
        Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/Topologies/\(rawValue)").path
    }

    var paths: SystemPaths { SystemPaths.recorded(at: root) }

    /// The fixture's topology, read once per test process (the big trees hold ~1,800 files).
    func topology() throws -> Topology {
        if let cached = TopologyFixture.cache.value[self] { return cached }
        let topology = try TopologyReader(paths: paths).read()
        TopologyFixture.cache.update { $0[self] = topology }
        return topology
    }

    private static let cache = Locked<[TopologyFixture: Topology]>([:])
}

/// A scratch sysfs tree written file by file, for edge cases no fixture has.
struct ScratchTree {
    let root: URL

    init() throws {
        root = try Fixtures.temporaryDirectory("bitbench-topology")
    }

    func write(_ relative: String, _ text: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    /// A minimal CPU: topology files and one L1d.
    func cpu(_ id: Int, package: Int = 0, core: Int, siblings: String? = nil) throws {
        let base = "sys/devices/system/cpu/cpu\(id)"
        try write("\(base)/topology/physical_package_id", "\(package)")
        try write("\(base)/topology/core_id", "\(core)")
        if let siblings { try write("\(base)/topology/thread_siblings_list", siblings) }
        try write("\(base)/cache/index0/level", "1")
        try write("\(base)/cache/index0/type", "Data")
        try write("\(base)/cache/index0/size", "32K")
        try write("\(base)/cache/index0/shared_cpu_list", siblings ?? "\(id)")
    }

    var paths: SystemPaths { SystemPaths.recorded(at: root.path) }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// A value guarded by a lock, for collecting results from pinned threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func update(_ body: (inout Value) -> Void) { lock.lock(); body(&stored); lock.unlock() }
}
