import ArgumentParser
import Foundation
import Harness
import Measurement

/// `bitbench sysinfo`: the machine and build context every result depends on.
struct SysinfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sysinfo",
        abstract: "Print the CPU, caches, NUMA nodes, perf PMUs, each probe's availability (counters, RAPL per method), governor, kernel and build.",
        discussion: "Every value that cannot be read is reported as unknown or unavailable, with the reason. "
            + "Warnings about untrustworthy timing conditions (debug build, frequency scaling) go to stderr."
    )

    /// Output formats of this command.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: Format = .text

    @Flag(name: .customLong("placement-check"),
          help: "Also place 20 MiB under every NUMA layout and report where the kernel put the pages.")
    var placementCheck = false

    @Option(name: .customLong("sysfs-root"), help: .hidden)
    var sysfsRoot = "/sys"

    @Option(name: .customLong("procfs-root"), help: .hidden)
    var procfsRoot = "/proc"

    @Option(name: .customLong("dev-root"), help: .hidden)
    var devRoot = "/dev"

    func run() throws {
        let paths = SystemPaths(sysfs: sysfsRoot, procfs: procfsRoot, dev: devRoot)
        let info = SystemInfo.collect(paths: paths, extra: [KernelPathSection.self] + (placementCheck ? [PlacementSection.self] : []))
        for warning in info.warnings {
            FileHandle.standardError.write(Data("bitbench: warning: \(warning)\n".utf8))
        }
        switch output {
        case .text: print(info.text(), terminator: "")
        case .json: print(try info.json())
        }
    }
}
