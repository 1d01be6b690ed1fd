import Foundation
import Measurement
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A powercap counter that a background thread advances at a known power, wrapping at the
/// zone's max_energy_range_uj, as the hardware counter moves during a run. The thread rewrites
/// `energy_uj` every 0.5 ms; a busy machine can stall it for tens of milliseconds, so reads made
/// through `files` first publish the current value, keeping the file as fresh as hardware.
final class PowercapWriter: @unchecked Sendable {
    let path: String
    let range: UInt64
    private let lock = NSLock()
    private var watts: Double
    private var microjoules: Double = 0
    private var last: UInt64 = 0
    private var stopping = false
    private var stopped = false

    init(path: String, range: UInt64, watts: Double) {
        self.path = path
        self.range = range
        self.watts = watts
    }

    /// Integrates the power up to now and writes the counter (wrapped at the range).
    func publish() {
        lock.lock(); defer { lock.unlock() }
        let now = MonotonicClock.nanoseconds()
        if last != 0 { microjoules += watts * Double(now - last) * 1e-3 }  // W x ns x 1e-3 = µJ
        last = now
        try? EnergyTestSupport.write("\(UInt64(microjoules) % range)", to: path)
    }

    func setPower(_ newWatts: Double) {
        publish()
        lock.lock(); defer { lock.unlock() }
        watts = newWatts
    }

    /// File access that publishes before each read of the counter.
    var files: any FileAccess { PublishingFiles(writer: self) }

    struct PublishingFiles: FileAccess {
        let writer: PowercapWriter
        let base = SystemFileAccess()
        func readText(_ path: String) throws -> String {
            if path == writer.path { writer.publish() }
            return try base.readText(path)
        }
        func directoryEntries(_ path: String) throws -> [String] { try base.directoryEntries(path) }
        func exists(_ path: String) -> Bool { base.exists(path) }
    }

    func start() {
        publish()
        let thread = Thread { [self] in
            while true {
                lock.lock()
                if stopping { stopped = true; lock.unlock(); return }
                lock.unlock()
                publish()
                MonotonicClock.sleep(seconds: 0.0005)
            }
        }
        thread.start()
    }

    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        while true {
            lock.lock()
            let done = stopped
            lock.unlock()
            if done { return }
            MonotonicClock.sleep(seconds: 0.001)
        }
    }
}

/// The background sampler against a counter that moves and wraps while the phase runs.
@Suite("energy sampling", .serialized)
struct EnergySamplingTests {
    /// An AMD-like tree whose package counter wraps every 2 J.
    func makeTree() throws -> (root: String, energy: String) {
        let root = try EnergyTestSupport.copyFixture("powercap-amd")
        try EnergyTestSupport.write("2000000", to: "\(root)/intel-rapl:0/max_energy_range_uj")
        return (root, "\(root)/intel-rapl:0/energy_uj")
    }

    func probe(_ root: String, writer: PowercapWriter) -> EnergyProbe {
        EnergyProbe(selection: .auto,
                    environment: EnergyEnvironment(eventSourceRoot: "/nonexistent/es", powercapRoot: root,
                                                   msrDirectory: "/nonexistent/msr", files: writer.files),
                    samplingInterval: 0.005)
    }

    @Test("a counter advancing at 12 W and wrapping every 2 J: joules and watts within 2%")
    func backgroundWriterKnownRate() throws {
        let tree = try makeTree()
        let writer = PowercapWriter(path: tree.energy, range: 2_000_000, watts: 12)
        writer.start()
        defer { writer.stop() }
        let p = probe(tree.root, writer: writer)
        defer { p.close() }
        #expect(p.openMethods == [.sysfsRAPL])
        // Two seconds keep a scheduling stall of the test thread on a busy 2-core machine (tens of
        // ms between the counter read and the clock read) well inside the 2% bound.
        p.begin()
        MonotonicClock.sleep(seconds: 2.0)
        p.end()
        let r = p.reading()
        let seconds = try #require(r.seconds)
        let joules = try #require(r.joules)
        let watts = try #require(r.averageWatts)
        #expect(r.method == .sysfsRAPL)
        #expect(abs(joules - 12 * seconds) / (12 * seconds) < 0.02, "\(joules) J over \(seconds) s")
        #expect(abs(watts - 12) / 12 < 0.02, "\(watts) W")
        // About twelve wraps happened and every one was seen.
        #expect((r[domain: "package-0"]?.wraps ?? 0) >= 10)
    }

    @Test("idle baseline: idle power measured first, net = gross - idle W x time")
    func idleBaseline() throws {
        let tree = try makeTree()
        let writer = PowercapWriter(path: tree.energy, range: 2_000_000, watts: 4)
        writer.start()
        defer { writer.stop() }
        let p = probe(tree.root, writer: writer)
        defer { p.close() }
        p.measureIdleBaseline(seconds: 1.0)
        writer.setPower(10)
        p.tokens = 100
        p.begin()
        MonotonicClock.sleep(seconds: 1.0)
        p.end()
        let r = p.reading()
        let seconds = try #require(r.seconds)
        let domain = try #require(r[domain: "package-0"])
        let idle = try #require(domain.idleWatts)
        let gross = try #require(r.joules)
        let net = try #require(r.netJoules)
        #expect(abs(idle - 4) / 4 < 0.02, "idle \(idle) W")
        #expect(abs(gross / seconds - 10) / 10 < 0.02, "gross \(gross / seconds) W")
        #expect(abs(net - (gross - idle * seconds)) < 1e-9)
        #expect(abs(net - 6 * seconds) / (6 * seconds) < 0.05, "net \(net) J")
        #expect(r.netJoulesPerToken == net / 100)
        #expect(r.idleBaseline?.watts["package-0"] == idle)
        #expect((r.idleBaseline?.seconds ?? 0) >= 1.0)
    }
}
