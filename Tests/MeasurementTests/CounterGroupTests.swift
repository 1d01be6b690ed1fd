import Measurement
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Grouping, leaders, multiplexing and summing, against recorded perf reads.
@Suite("counter groups")
struct CounterGroupTests {
    let resolver = EventResolver(eventSource: EventSourceDirectory(root: EnergyTestSupport.fixture("event-source-intel")))

    @Test("one group under a leader, read with PERF_FORMAT_GROUP, time enabled and running")
    func oneGroup() throws {
        let perf = RecordedPerfEvents()
        let session = try CounterSession(names: ["r00c0", "r003c", "task-clock"], scope: .threads([100]),
                                         resolver: resolver, system: perf)
        let probe = try CounterProbe(session: session)
        // All three joined one group led by the first; the leader starts disabled.
        let leaders = perf.opened.values.filter { $0.groupFD == -1 }
        #expect(leaders.count == 1)
        #expect(leaders.first?.options.disabled == true)
        #expect(leaders.first?.options.readFormat == 1 | 2 | 4 | 8)
        #expect(perf.opened.values.allSatisfy { $0.pid == 100 && !$0.options.inherit })
        probe.begin()
        perf.set(type: 4, config: 0xc0, pid: 100, value: 4_000)
        perf.set(type: 4, config: 0x3c, pid: 100, value: 2_000)
        perf.set(type: 1, config: 1, pid: 100, value: 9_000)
        probe.end()
        let r = probe.reading()
        #expect(r["r00c0"]?.value == 4_000)
        #expect(r["r003c"]?.value == 2_000)
        #expect(r["task-clock"]?.value == 9_000)
        #expect(r.events.allSatisfy { !$0.scaled })
    }

    @Test("multiplexed counts are scaled by time_enabled / time_running and say so")
    func multiplexing() throws {
        let perf = RecordedPerfEvents()
        let session = try CounterSession(names: ["r00c0"], scope: .threads([7]), resolver: resolver, system: perf)
        let probe = try CounterProbe(session: session)
        perf.setTimes(pid: 7, enabled: 1_000, running: 1_000)
        probe.begin()
        perf.set(type: 4, config: 0xc0, pid: 7, value: 500)
        perf.setTimes(pid: 7, enabled: 5_000, running: 3_000)  // ran 2000 of 4000 ns
        probe.end()
        let event = try #require(probe.reading()["r00c0"])
        #expect(event.scaled)
        #expect(event.rawValue == 500)
        #expect(event.value == 1_000)
        #expect(event.timeEnabledNanoseconds == 4_000)
        #expect(event.timeRunningNanoseconds == 2_000)
    }

    @Test("a counter never scheduled is unavailable, not 0")
    func neverScheduled() throws {
        let perf = RecordedPerfEvents()
        let probe = try CounterProbe(session: CounterSession(names: ["r00c0"], scope: .threads([7]), resolver: resolver, system: perf))
        perf.setTimes(pid: 7, enabled: 0, running: 0)
        probe.begin()
        perf.setTimes(pid: 7, enabled: 4_000, running: 0)
        probe.end()
        let event = try #require(probe.reading()["r00c0"])
        #expect(event.value == nil)
        #expect(event.unsupportedReason?.contains("never scheduled") == true)
    }

    @Test("when the leader cannot open, the next event leads and the rest still count")
    func leaderFails() throws {
        let perf = RecordedPerfEvents()
        perf.refuse = ["4:192": ENOENT]  // r00c0
        let session = try CounterSession(names: ["r00c0", "task-clock", "page-faults"], scope: .threads([9]),
                                         resolver: resolver, system: perf)
        let probe = try CounterProbe(session: session)
        let leader = try #require(perf.opened.values.first { $0.groupFD == -1 })
        #expect(leader.key.type == 1 && leader.key.config == 1)
        #expect(perf.opened.count == 2)
        probe.begin()
        perf.set(type: 1, config: 1, pid: 9, value: 123)
        perf.set(type: 1, config: 2, pid: 9, value: 4)
        probe.end()
        let r = probe.reading()
        #expect(r["r00c0"]?.value == nil)
        #expect(r["r00c0"]?.errnoName == "ENOENT")
        #expect(r["r00c0"]?.unsupportedReason?.contains("no such PMU") == false)  // the fixture has a cpu PMU
        #expect(r["task-clock"]?.value == 123)
        #expect(r["page-faults"]?.value == 4)
    }

    @Test("an event that cannot join the group gets a group of its own")
    func ownGroup() throws {
        let perf = RecordedPerfEvents()
        perf.refuseInGroup = ["1:2": EINVAL]
        let session = try CounterSession(names: ["task-clock", "page-faults"], scope: .threads([3]),
                                         resolver: resolver, system: perf)
        let probe = try CounterProbe(session: session)
        #expect(perf.opened.values.filter { $0.groupFD == -1 }.count == 2)
        probe.begin()
        perf.set(type: 1, config: 1, pid: 3, value: 10)
        perf.set(type: 1, config: 2, pid: 3, value: 20)
        probe.end()
        let r = probe.reading()
        #expect(r["task-clock"]?.value == 10)
        #expect(r["page-faults"]?.value == 20)
    }

    @Test("pinned workers: one group per thread, summed, scaled where each was multiplexed")
    func perThreadSum() throws {
        let perf = RecordedPerfEvents()
        let session = try CounterSession(names: ["r00c0", "task-clock"], scope: .threads([11, 12]),
                                         resolver: resolver, system: perf)
        let probe = try CounterProbe(session: session)
        #expect(perf.opened.values.filter { $0.groupFD == -1 }.map(\.pid).sorted() == [11, 12])
        perf.setTimes(pid: 11, enabled: 0, running: 0)
        perf.setTimes(pid: 12, enabled: 0, running: 0)
        probe.begin()
        perf.set(type: 4, config: 0xc0, pid: 11, value: 300)
        perf.set(type: 4, config: 0xc0, pid: 12, value: 100)
        perf.set(type: 1, config: 1, pid: 11, value: 7)
        perf.set(type: 1, config: 1, pid: 12, value: 8)
        perf.setTimes(pid: 11, enabled: 1_000, running: 1_000)
        perf.setTimes(pid: 12, enabled: 1_000, running: 500)
        probe.end()
        let r = probe.reading()
        #expect(r["r00c0"]?.value == 500)  // 300 + 100 × 1000/500
        #expect(r["r00c0"]?.rawValue == 400)
        #expect(r["r00c0"]?.scaled == true)
        #expect(r["task-clock"]?.value == 23)  // 7 + 8 × 1000/500
    }

    @Test("a command's group enables on exec, with inherit")
    func commandScope() throws {
        let perf = RecordedPerfEvents()
        _ = try CounterProbe(session: CounterSession(names: ["task-clock", "page-faults"], scope: .command(pid: 4242),
                                                     resolver: resolver, system: perf))
        let leader = try #require(perf.opened.values.first { $0.groupFD == -1 })
        #expect(leader.options.enableOnExec && leader.options.disabled && leader.options.inherit)
        let member = try #require(perf.opened.values.first { $0.groupFD != -1 })
        #expect(!member.options.disabled && member.options.inherit)
        #expect(perf.opened.values.allSatisfy { $0.pid == 4242 })
    }

    @Test("closing the session closes every descriptor")
    func closes() throws {
        let perf = RecordedPerfEvents()
        let session = try CounterSession(names: ["task-clock", "page-faults"], scope: .threads([1]), resolver: resolver, system: perf)
        session.close()
        #expect(perf.closed == Set(perf.opened.keys))
    }
}
