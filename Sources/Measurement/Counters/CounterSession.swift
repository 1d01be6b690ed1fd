import CPerfEvent
#if canImport(Glibc)
import Glibc
#endif

/// A set of perf events opened for one scope, read as groups under a leader with time enabled and
/// time running. Events that cannot be opened are recorded with errno and reason; the rest count.
/// If an event cannot be opened as the leader, the next one leads; an event that cannot join a
/// group (mixing PMUs) gets a group of its own.
public final class CounterSession: @unchecked Sendable {
    /// PERF_FORMAT_GROUP | ID | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING.
    static let readFormat = UInt64(BB_PERF_FORMAT_GROUP | BB_PERF_FORMAT_ID
                                   | BB_PERF_FORMAT_TOTAL_TIME_ENABLED | BB_PERF_FORMAT_TOTAL_TIME_RUNNING)

    /// One opened group on one target.
    struct Group {
        var target: Int32
        var leaderFD: Int32
        /// (index into `events`, fd, kernel id) in group order.
        var members: [(event: Int, fd: Int32, id: UInt64)]
        var bufferWords: Int { 3 + 2 * members.count }
    }

    /// One requested event.
    struct Slot {
        var name: String
        var encoding: PerfEventEncoding?
        var failure: CounterValue?
        var openedTargets = 0
    }

    /// Whose work is counted.
    public let scope: CounterScope
    private let system: any PerfEventSystem
    private var slots: [Slot]
    private(set) var groups: [Group] = []
    private var targets: [Int32]
    private var closed = false

    /// Resolves and opens `names` for `scope`. Throws `CounterConfigurationError` for malformed
    /// names only; unknown or refused events become unsupported entries of the reading.
    public init(names: [String], scope: CounterScope, resolver: EventResolver = EventResolver(),
                system: any PerfEventSystem = KernelPerfEvents()) throws {
        self.scope = scope
        self.system = system
        switch scope {
        case .command(let pid): targets = [pid]
        case .threads(let tids): targets = tids
        case .callingThread: targets = [0]
        }
        slots = []
        for name in names {
            switch try resolver.resolve(name) {
            case .encoded(let encoding):
                slots.append(Slot(name: name, encoding: encoding))
            case .unsupported(let code, let reason):
                slots.append(Slot(name: name, failure: CounterValue(
                    name: name, unsupportedReason: reason, errno: code,
                    errnoName: code.map { SystemError("", errno: $0).errnoName })))
            }
        }
        let corePMUs = resolver.libpfm?.presentPMUs().filter(\.isCore).map(\.name) ?? []
        for target in targets {
            openGroups(on: target, eventSource: resolver.eventSource, libpfmCorePMUs: corePMUs)
        }
        for index in slots.indices where slots[index].failure == nil && slots[index].openedTargets < targets.count {
            slots[index].failure = CounterValue(
                name: slots[index].name,
                unsupportedReason: "opened on \(slots[index].openedTargets) of \(targets.count) threads only; a partial sum would undercount",
                encoding: slots[index].encoding)
        }
    }

    deinit { close() }

    private func options(leader: Bool) -> PerfOpenOptions {
        switch scope {
        case .command:
            return PerfOpenOptions(readFormat: Self.readFormat, disabled: leader, inherit: true, enableOnExec: leader)
        case .threads:
            return PerfOpenOptions(readFormat: Self.readFormat, disabled: leader, inherit: false, enableOnExec: false)
        case .callingThread:
            return PerfOpenOptions(readFormat: Self.readFormat, disabled: leader, inherit: true, enableOnExec: false)
        }
    }

    private func openGroups(on target: Int32, eventSource: EventSourceDirectory, libpfmCorePMUs: [String]) {
        var current: Group? = nil
        for index in slots.indices {
            guard slots[index].failure == nil, let encoding = slots[index].encoding else { continue }
            if var group = current {
                if let fd = try? system.open(encoding, options: options(leader: false), pid: target, cpu: -1, groupFD: group.leaderFD),
                   let id = try? system.eventID(fd) {
                    group.members.append((index, fd, id))
                    current = group
                    slots[index].openedTargets += 1
                    continue
                }
            }
            // No group yet, or the event cannot join it: try it as the leader of a new group.
            do {
                let fd = try system.open(encoding, options: options(leader: true), pid: target, cpu: -1, groupFD: -1)
                let id: UInt64
                do { id = try system.eventID(fd) } catch { system.close(fd); throw error }
                if let finished = current { groups.append(finished) }
                current = Group(target: target, leaderFD: fd, members: [(index, fd, id)])
                slots[index].openedTargets += 1
            } catch let error as SystemError {
                let failure = PerfOpenFailure.explain(error, encoding: encoding, eventSource: eventSource,
                                                      libpfmCorePMUs: libpfmCorePMUs)
                slots[index].failure = CounterValue(name: slots[index].name, unsupportedReason: failure.reason,
                                                    errno: failure.errno, errnoName: failure.errnoName, encoding: encoding)
            } catch {
                slots[index].failure = CounterValue(name: slots[index].name, unsupportedReason: "\(error)", encoding: encoding)
            }
        }
        if let finished = current { groups.append(finished) }
    }

    /// True when at least one event is open.
    public var hasOpenEvents: Bool { !groups.isEmpty }

    /// The requested names in order.
    public var names: [String] { slots.map(\.name) }

    /// Enables every group (thread and calling-thread scopes; a command's groups enable on exec).
    public func enable() throws {
        for group in groups { try system.enableGroup(group.leaderFD) }
    }

    /// Disables every group.
    public func disable() throws {
        for group in groups { try system.disableGroup(group.leaderFD) }
    }

    /// Closes every event; later reads fail.
    public func close() {
        guard !closed else { return }
        closed = true
        for group in groups {
            for member in group.members.reversed() { system.close(member.fd) }
        }
    }

    /// Buffers sized for this session's groups, for `capture(into:)`.
    public func makeSnapshot() -> CounterSnapshot {
        CounterSnapshot(words: groups.map { [UInt64](repeating: 0, count: $0.bufferWords) })
    }

    /// Reads every group into `snapshot` without allocating (one read(2) per group).
    public func capture(into snapshot: inout CounterSnapshot) {
        snapshot.error = nil
        for g in groups.indices {
            let expected = groups[g].bufferWords * 8
            do {
                let n = try snapshot.words[g].withUnsafeMutableBytes { try system.read(groups[g].leaderFD, into: $0) }
                if n != expected {
                    snapshot.error = "short read of group \(g): \(n) of \(expected) bytes"
                }
            } catch {
                snapshot.error = "\(error)"
            }
        }
    }

    /// The counts between two snapshots, scaled for multiplexing, summed over threads.
    public func reading(from begin: CounterSnapshot, to end: CounterSnapshot) -> CounterReading {
        var sums = [(value: Double, raw: UInt64, enabled: UInt64, running: UInt64, scaled: Bool, problem: String?)](
            repeating: (0, 0, 0, 0, false, nil), count: slots.count)
        let readProblem = begin.error ?? end.error
        for (g, group) in groups.enumerated() where g < begin.words.count && g < end.words.count {
            let b = begin.words[g], e = end.words[g]
            let enabled = e[1] &- b[1], running = e[2] &- b[2]
            for (k, member) in group.members.enumerated() {
                // Group read layout: nr, time_enabled, time_running, then {value, id} per event.
                let slot = 3 + 2 * k
                guard e[slot + 1] == member.id else {
                    sums[member.event].problem = "the group read did not list event id \(member.id) where expected"
                    continue
                }
                let raw = e[slot] &- b[slot]
                sums[member.event].raw &+= raw
                sums[member.event].enabled &+= enabled
                sums[member.event].running &+= running
                if enabled == 0 {
                    sums[member.event].problem = "the counter was never enabled during the phase (time_enabled 0)"
                } else if running == 0 {
                    sums[member.event].problem = "the counter was never scheduled on the PMU (multiplexed out: time_running 0 of \(enabled) ns enabled)"
                } else if running < enabled {
                    sums[member.event].value += Double(raw) * Double(enabled) / Double(running)
                    sums[member.event].scaled = true
                } else {
                    sums[member.event].value += Double(raw)
                }
            }
        }
        let events = slots.enumerated().map { index, slot -> CounterValue in
            if let failure = slot.failure { return failure }
            if let readProblem {
                return CounterValue(name: slot.name, unsupportedReason: "read failed: \(readProblem)", encoding: slot.encoding)
            }
            let s = sums[index]
            if let problem = s.problem {
                return CounterValue(name: slot.name, unsupportedReason: problem, encoding: slot.encoding)
            }
            let unit = slot.encoding?.unit
            var value = s.value
            if let scale = slot.encoding?.scale { value *= scale }
            return CounterValue(name: slot.name, value: value, rawValue: s.raw, scaled: s.scaled,
                                timeEnabledNanoseconds: s.enabled, timeRunningNanoseconds: s.running,
                                unit: unit, encoding: slot.encoding)
        }
        return CounterReading(scope: scope.description, events: events)
    }
}

/// Raw group reads taken at one instant; made by `CounterSession.makeSnapshot()`.
public struct CounterSnapshot: Sendable {
    /// One buffer of 64-bit words per group.
    var words: [[UInt64]]
    /// A read failure, if any group could not be read.
    var error: String?
}
