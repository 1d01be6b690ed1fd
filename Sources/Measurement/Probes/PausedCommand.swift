import CPerfEvent
#if canImport(Glibc)
import Glibc
#endif

/// A command started stopped before execve, so probes can attach to it first (perf stat's way).
public final class PausedCommand {
    /// The child's pid.
    public let pid: Int32
    /// The resolved executable.
    public let executable: String
    /// argv.
    public let arguments: [String]
    private var child: bb_paused_child
    private var released = false
    private var reaped = false

    /// Finds `arguments[0]` (in PATH unless it holds a '/'), and forks a child that waits.
    /// Throws `CommandLaunchError` when the command cannot be found or the fork fails.
    public init(arguments: [String], environment: [String: String]? = nil) throws {
        guard let name = arguments.first, !name.isEmpty else { throw CommandLaunchError("no command given") }
        executable = try Self.locate(name)
        self.arguments = arguments
        let env = environment ?? ProcessEnvironment.snapshot()
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var c = bb_paused_child()
        guard bb_spawn_paused(executable, argv, envp, &c) == 0 else {
            throw CommandLaunchError("cannot start '\(name)': \(SystemError.current("fork"))")
        }
        child = c
        pid = c.pid
    }

    deinit {
        if !released { bb_abandon_child(&child) }
    }

    /// Lets the child exec; throws `CommandLaunchError` when execve failed (the child is reaped).
    public func release() throws {
        guard !released else { return }
        released = true
        let code = bb_release_child(&child)
        if code != 0 {
            var status = bb_child_status()
            _ = bb_wait_child(pid, &status)
            reaped = true
            throw CommandLaunchError("cannot execute '\(executable)': \(SystemError("execve", errno: code).message) (\(SystemError("execve", errno: code).errnoName))")
        }
    }

    /// Kills the paused child without running it (setup failed).
    public func abandon() {
        guard !released else { return }
        released = true
        reaped = true
        bb_abandon_child(&child)
    }

    /// Waits for the command to finish, with SIGINT and SIGQUIT ignored here meanwhile (they
    /// reach the command, which restored their defaults, and the report is still printed).
    public func wait() throws -> CommandStatus {
        guard released, !reaped else { throw CommandLaunchError("the command was not running") }
        let oldInt = signal(SIGINT, SIG_IGN)
        let oldQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, oldInt)
            signal(SIGQUIT, oldQuit)
        }
        var status = bb_child_status()
        guard bb_wait_child(pid, &status) == 0 else {
            throw CommandLaunchError("waiting for '\(executable)': \(SystemError.current("wait4"))")
        }
        reaped = true
        return CommandStatus(exitStatus: status.exited != 0 ? status.exit_status : nil,
                             signal: status.signaled != 0 ? status.term_signal : nil,
                             userSeconds: status.user_seconds, systemSeconds: status.system_seconds,
                             maxResidentKibibytes: status.max_rss_kib)
    }

    /// The path execve will run: `name` itself when it holds a '/', else the first PATH match.
    static func locate(_ name: String) throws -> String {
        if name.contains("/") {
            guard access(name, X_OK) == 0 else {
                throw CommandLaunchError("cannot execute '\(name)': \(SystemError.current("access").message)")
            }
            return name
        }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            var info = stat()
            if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw CommandLaunchError("command not found: '\(name)' (searched PATH)")
    }
}

/// How a command ended.
public struct CommandStatus: Codable, Sendable, Equatable {
    /// Its exit status, when it exited.
    public var exitStatus: Int32?
    /// The signal that ended it, when one did.
    public var signal: Int32?
    /// CPU time in user mode (rusage).
    public var userSeconds: Double
    /// CPU time in the kernel (rusage).
    public var systemSeconds: Double
    /// Peak resident set size in KiB (rusage ru_maxrss).
    public var maxResidentKibibytes: Int

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(exitStatus, forKey: .exitStatus)
        try c.encode(signal, forKey: .signal)
        try c.encode(userSeconds, forKey: .userSeconds)
        try c.encode(systemSeconds, forKey: .systemSeconds)
        try c.encode(maxResidentKibibytes, forKey: .maxResidentKibibytes)
    }
    private enum CodingKeys: String, CodingKey { case exitStatus, signal, userSeconds, systemSeconds, maxResidentKibibytes }
}

/// A command that could not be started or run.
public struct CommandLaunchError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public var description: String

    /// Makes the error.
    public init(_ description: String) {
        self.description = description
    }
}
