/// Whose work the counters cover.
public enum CounterScope: Sendable, Equatable, CustomStringConvertible {
    /// A command started paused: counters follow it into its threads and child processes
    /// (inherit) and start when it calls execve (enable_on_exec).
    case command(pid: Int32)
    /// One counter group per thread (the engine's pinned workers, by kernel tid), summed.
    case threads([Int32])
    /// The calling thread and every thread it creates after the counters open (inherit).
    case callingThread

    public var description: String {
        switch self {
        case .command(let pid): return "command (pid \(pid), inherit, enable-on-exec)"
        case .threads(let tids): return "\(tids.count) thread group(s) summed (tids \(tids.map(String.init).joined(separator: ",")))"
        case .callingThread: return "calling thread and threads created after (inherit)"
        }
    }
}
