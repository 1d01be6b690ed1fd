import Foundation

/// How this bitbench binary was built: configuration, compiler, target and source commit.
public struct BuildSection: SystemInfoSection {
    public static let key = "build"
    public static let title = "Build"

    /// `debug` or `release`.
    public var configuration: String
    /// The Swift compiler version this was compiled with (the newest `#if compiler` bound met).
    public var swiftCompiler: String
    /// Architecture and OS compiled for.
    public var target: String
    /// The git commit of the sources, from $BITBENCH_GIT_COMMIT or `git rev-parse HEAD`.
    public var commit: Known<String>
    /// True when the work tree had uncommitted changes to tracked files, if known.
    public var dirty: Bool?

    public static func collect(_ context: SystemInfoContext) -> BuildSection {
        let (commit, dirty) = sourceCommit()
        return BuildSection(configuration: configuration, swiftCompiler: compilerVersion, target: target,
                            commit: commit, dirty: dirty)
    }

    static var configuration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    static var compilerVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3.1)
        return "6.3.1"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }

    static var target: String {
        #if arch(x86_64)
        let arch = "x86_64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "other"
        #endif
        #if os(Linux)
        return "\(arch)-linux"
        #elseif os(macOS)
        return "\(arch)-macos"
        #else
        return "\(arch)-other"
        #endif
    }

    // The sources' folder as compiled (#filePath), where `git` can find the repository when the
    // binary runs on the machine that built it.
    static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

    static func sourceCommit() -> (Known<String>, Bool?) {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment["BITBENCH_GIT_COMMIT"], !given.isEmpty {
            return (.known(given), nil)
        }
        let head: String
        do {
            head = try git(["rev-parse", "HEAD"])
        } catch {
            return (.unknown("BITBENCH_GIT_COMMIT is unset and `git rev-parse HEAD` in \(sourceDirectory) failed: \(error)"), nil)
        }
        let status = try? git(["status", "--porcelain", "--untracked-files=no"])
        return (.known(head), status.map { !$0.isEmpty })
    }

    private struct GitFailure: Error, CustomStringConvertible {
        var description: String
    }

    private static func git(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", sourceDirectory] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GitFailure(description: "exit \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self).strippingWhitespace())")
        }
        return String(decoding: data, as: UTF8.self).strippingWhitespace()
    }

    public var warnings: [String] {
        configuration == "debug"
            ? ["bitbench was built in debug mode; timings are not representative. Build with `swift build -c release`."]
            : []
    }

    public var textLines: [SystemInfoLine] {
        [
            SystemInfoLine("configuration", configuration),
            SystemInfoLine("swift compiler", swiftCompiler),
            SystemInfoLine("target", target),
            SystemInfoLine("commit", commit.text { $0 + (dirty == true ? " (uncommitted changes)" : "") }),
        ]
    }
}
