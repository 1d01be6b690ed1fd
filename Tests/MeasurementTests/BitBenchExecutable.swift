import Foundation
import Testing

/// The `bitbench` executable `swift build --build-tests` put beside the test bundle, and a way
/// to run it with its stdout, stderr and exit status.
enum BitBenchExecutable {
    /// The executable, or nil when it was not built.
    static let url: URL? = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let folders = [Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL,
                       testBinary.deletingLastPathComponent()]
        return folders.map { $0.appendingPathComponent("bitbench") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `bitbench arguments` to completion.
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let executable = try #require(url, "bitbench is not built beside the tests")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
