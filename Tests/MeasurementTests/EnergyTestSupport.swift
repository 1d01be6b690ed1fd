import Foundation
import Measurement
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the energy and counter tests: fixture copies, file writes, injected failures,
/// and a perf_event_open that replays recorded counts.
enum EnergyTestSupport {
    /// Tests/Fixtures/Energy/<name>.
    static func fixture(_ name: String) -> String {
        Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/Energy/\(name)").path
    }

    /// A fresh copy of a fixture tree (symlinks kept), which the test may modify.
    static func copyFixture(_ name: String) throws -> String {
        let dir = try Fixtures.temporaryDirectory("bitbench-energy")
        let target = dir.appendingPathComponent(name)
        try FileManager.default.copyItem(atPath: fixture(name), toPath: target.path)
        return target.path
    }

    /// Replaces a file's text atomically (write then rename), as a sysfs read sees one value.
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".tmp-\(UUID().uuidString)"
        try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw SystemError.current("rename", path: path) }
    }

    /// An 8-byte little-endian MSR value at offset `address` of a (sparse) device stand-in.
    static func writeMSR(_ value: UInt64, address: UInt32, file: String) throws {
        let fd = open(file, O_WRONLY | O_CREAT, 0o644)
        guard fd >= 0 else { throw SystemError.current("open", path: file) }
        defer { close(fd) }
        var v = value.littleEndian
        let n = withUnsafeBytes(of: &v) { pwrite(fd, $0.baseAddress, 8, off_t(address)) }
        guard n == 8 else { throw SystemError.current("pwrite", path: file) }
    }
}

/// The real file system, except that reading the listed paths fails with the given errno, as
/// `energy_uj` does for non-root users since the CVE-2020-8694 fix (tests run as root, where
/// mode 000 does not deny anything).
struct DenyingFileAccess: FileAccess {
    var denied: [String: Int32]
    var base = SystemFileAccess()

    func readText(_ path: String) throws -> String {
        if let code = denied[path] { throw SystemError("open", path: path, errno: code) }
        return try base.readText(path)
    }

    func directoryEntries(_ path: String) throws -> [String] { try base.directoryEntries(path) }
    func exists(_ path: String) -> Bool { base.exists(path) }
}

/// perf_event_open replaying recorded values: each open event reads the current value the test
/// set for its (type, config, cpu); group leaders read the group layout. Opens can be refused
/// per (type, config) with an errno, and refused only when joining a group.
final class RecordedPerfEvents: PerfEventSystem, @unchecked Sendable {
    struct Key: Hashable { var type: UInt32; var config: UInt64; var cpu: Int32; var pid: Int32 }
    struct Opened { var key: Key; var groupFD: Int32; var pid: Int32; var options: PerfOpenOptions; var encoding: PerfEventEncoding }

    private let lock = NSLock()
    private var nextFD: Int32 = 1000
    private(set) var opened: [Int32: Opened] = [:]
    private(set) var closed: Set<Int32> = []
    private var values: [Key: UInt64] = [:]
    /// Group time (enabled, running) per leader target pid, for multiplexing.
    private var times: [Int32: (UInt64, UInt64)] = [:]
    private var autoTime: [Int32: UInt64] = [:]
    var refuse: [String: Int32] = [:]            // "type:config" -> errno for any open
    var refuseInGroup: [String: Int32] = [:]     // "type:config" -> errno when joining a group

    func set(type: UInt32, config: UInt64, cpu: Int32 = -1, pid: Int32 = -1, value: UInt64) {
        lock.lock(); defer { lock.unlock() }
        values[Key(type: type, config: config, cpu: cpu, pid: pid)] = value
    }

    func setTimes(pid: Int32, enabled: UInt64, running: UInt64) {
        lock.lock(); defer { lock.unlock() }
        times[pid] = (enabled, running)
    }

    func open(_ encoding: PerfEventEncoding, options: PerfOpenOptions, pid: Int32, cpu: Int32, groupFD: Int32) throws -> Int32 {
        lock.lock(); defer { lock.unlock() }
        let name = "\(encoding.type):\(encoding.config)"
        if let code = refuse[name] { throw SystemError("perf_event_open", errno: code) }
        if groupFD >= 0, let code = refuseInGroup[name] { throw SystemError("perf_event_open", errno: code) }
        nextFD += 1
        opened[nextFD] = Opened(key: Key(type: encoding.type, config: encoding.config, cpu: cpu, pid: pid), groupFD: groupFD,
                                pid: pid, options: options, encoding: encoding)
        return nextFD
    }

    func eventID(_ fd: Int32) throws -> UInt64 { UInt64(fd) * 7 }

    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        lock.lock(); defer { lock.unlock() }
        guard let event = opened[fd], !closed.contains(fd) else { throw SystemError("read", errno: EBADF) }
        if event.options.readFormat == 0 {
            buffer.storeBytes(of: values[event.key] ?? 0, toByteOffset: 0, as: UInt64.self)
            return 8
        }
        let members = [fd] + opened.filter { $0.value.groupFD == fd }.keys.sorted()
        // Without recorded times, each read sees the group run 1 µs more, never multiplexed.
        let (enabled, running) = times[event.pid] ?? {
            autoTime[fd, default: 0] += 1_000
            return (autoTime[fd]!, autoTime[fd]!)
        }()
        var words: [UInt64] = [UInt64(members.count), enabled, running]
        for member in members {
            words.append(values[opened[member]!.key] ?? 0)
            words.append(UInt64(member) * 7)
        }
        guard buffer.count >= words.count * 8 else { throw SystemError("read", errno: ENOSPC) }
        for (i, w) in words.enumerated() { buffer.storeBytes(of: w, toByteOffset: i * 8, as: UInt64.self) }
        return words.count * 8
    }

    func enableGroup(_ fd: Int32) throws {}
    func disableGroup(_ fd: Int32) throws {}
    func close(_ fd: Int32) {
        lock.lock(); defer { lock.unlock() }
        closed.insert(fd)
    }
}

/// MSR devices held in memory: path → (address → value). A missing device is ENOENT, a missing
/// register EIO, as the kernel's msr driver answers.
final class RecordedMSRs: MSRAccess, @unchecked Sendable {
    private let lock = NSLock()
    private var registers: [String: [UInt32: UInt64]] = [:]

    func set(_ path: String, _ address: UInt32, _ value: UInt64) {
        lock.lock(); defer { lock.unlock() }
        registers[path, default: [:]][address] = value
    }

    func value(_ path: String, _ address: UInt32) throws -> UInt64 {
        lock.lock(); defer { lock.unlock() }
        guard let device = registers[path] else { throw SystemError("open", path: path, errno: ENOENT) }
        guard let value = device[address] else { throw SystemError("pread", path: path, errno: EIO) }
        return value
    }

    func open(_ path: String) throws -> any MSRHandle {
        lock.lock(); defer { lock.unlock() }
        guard registers[path] != nil else { throw SystemError("open", path: path, errno: ENOENT) }
        return Handle(path: path, owner: self)
    }

    final class Handle: MSRHandle, @unchecked Sendable {
        let path: String
        let owner: RecordedMSRs
        init(path: String, owner: RecordedMSRs) { self.path = path; self.owner = owner }
        func read(_ address: UInt32) throws -> UInt64 { try owner.value(path, address) }
        func close() {}
    }
}
