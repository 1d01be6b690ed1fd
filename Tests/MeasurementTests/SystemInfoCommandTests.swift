import Foundation
import Measurement
import Testing

/// Runs the built `bitbench` executable (it sits beside the test bundle after
/// `swift build --build-tests`) and checks the command's contract: data on stdout, warnings
/// on stderr, exit status.
@Suite("bitbench sysinfo command", .enabled(if: BitBenchExecutable.url != nil, "bitbench is not built beside the tests"))
struct SystemInfoCommandTests {
    @Test("-o json prints one valid JSON object on stdout and exits 0")
    func json() throws {
        let result = try BitBenchExecutable.run(["sysinfo", "-o", "json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["schema"] as? Int == SystemInfo.schemaVersion)
        // Warnings, if any, are on stderr in the tool's format, never in the JSON.
        for line in result.stderr.split(separator: "\n") { #expect(line.hasPrefix("bitbench: warning: ")) }
    }

    @Test("hidden root flags read a recorded tree")
    func roots() throws {
        let fixture = TopologyFixture.xeon
        let result = try BitBenchExecutable.run(["sysinfo", "--sysfs-root", fixture.root + "/sys", "--procfs-root", fixture.root + "/proc",
                                   "--dev-root", fixture.root + "/dev"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Intel(R) Xeon(R) Gold 6130"))
        #expect(result.stdout.contains("node 3:"))
        #expect(result.stderr.contains("bitbench: warning: CPU frequency scaling is active"))
    }

    @Test("--placement-check runs every layout and reports the pages as planned", .enabled(if: LibNUMA.isAvailable))
    func placement() throws {
        let result = try BitBenchExecutable.run(["sysinfo", "-o", "json", "--placement-check"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let placement = try #require(object?["placement"] as? [String: Any])
        let layouts = try #require(placement["layouts"] as? [[String: Any]])
        #expect(layouts.count >= 4)
        for layout in layouts {
            let reports = layout["reports"] as? [[String: Any]] ?? []
            #expect(reports.count == 2, "\(layout)")
            #expect(reports.allSatisfy { $0["matches"] as? Bool == true }, "\(layout)")
        }
    }

    @Test("an unknown output format is rejected with a non-zero exit")
    func badFormat() throws {
        let result = try BitBenchExecutable.run(["sysinfo", "-o", "yaml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("yaml"))
        #expect(result.stdout.isEmpty)
    }
}
