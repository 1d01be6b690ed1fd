/// Perf counters as a probe: `begin()` and `end()` each read every group once (a read(2) per
/// group into preallocated buffers); `reading()` computes the scaled differences.
public final class CounterProbe: Probe {
    /// The open events.
    public let session: CounterSession
    private var start: CounterSnapshot
    private var stop: CounterSnapshot
    private var state = 0  // 0 idle, 1 begun, 2 ended

    /// Wraps an open session; enables its groups unless they enable on exec (a command).
    public init(session: CounterSession) throws {
        self.session = session
        start = session.makeSnapshot()
        stop = session.makeSnapshot()
        if case .command = session.scope {} else { try session.enable() }
    }

    public func begin() {
        session.capture(into: &start)
        state = 1
    }

    public func end() {
        session.capture(into: &stop)
        if state == 1 { state = 2 }
    }

    public func reading() -> CounterReading {
        guard state == 2 else {
            return CounterReading(scope: session.scope.description, events: session.names.map {
                CounterValue(name: $0, unsupportedReason: "the counters were not started and stopped")
            })
        }
        return session.reading(from: start, to: stop)
    }
}
