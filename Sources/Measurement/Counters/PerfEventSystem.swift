import CPerfEvent
#if canImport(Glibc)
import Glibc
#endif

/// How an event is opened, beyond its encoding.
public struct PerfOpenOptions: Sendable, Equatable {
    /// perf_event_attr.read_format (PERF_FORMAT_* bits).
    public var readFormat: UInt64
    /// Start disabled (group leaders; enabled by ioctl or on exec).
    public var disabled: Bool
    /// Count threads and processes the target creates after opening.
    public var inherit: Bool
    /// Enable when the target calls execve (a command started paused).
    public var enableOnExec: Bool

    /// Makes options.
    public init(readFormat: UInt64, disabled: Bool, inherit: Bool, enableOnExec: Bool) {
        self.readFormat = readFormat
        self.disabled = disabled
        self.inherit = inherit
        self.enableOnExec = enableOnExec
    }
}

/// The perf_event_open system calls, behind a protocol so tests can replay recorded reads.
public protocol PerfEventSystem: Sendable {
    /// perf_event_open; returns the fd or throws `SystemError`.
    func open(_ encoding: PerfEventEncoding, options: PerfOpenOptions, pid: Int32, cpu: Int32, groupFD: Int32) throws -> Int32
    /// PERF_EVENT_IOC_ID.
    func eventID(_ fd: Int32) throws -> UInt64
    /// read(2) of the event; returns the bytes read.
    func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// PERF_EVENT_IOC_ENABLE on the whole group.
    func enableGroup(_ fd: Int32) throws
    /// PERF_EVENT_IOC_DISABLE on the whole group.
    func disableGroup(_ fd: Int32) throws
    /// close(2).
    func close(_ fd: Int32)
}

/// The real kernel interface through the CPerfEvent shim.
public struct KernelPerfEvents: PerfEventSystem {
    /// Makes the interface.
    public init() {}

    public func open(_ encoding: PerfEventEncoding, options: PerfOpenOptions, pid: Int32, cpu: Int32, groupFD: Int32) throws -> Int32 {
        var spec = encoding.spec(readFormat: options.readFormat, disabled: options.disabled,
                                 inherit: options.inherit, enableOnExec: options.enableOnExec)
        let fd = bb_perf_event_open_spec(&spec, pid, cpu, groupFD)
        guard fd >= 0 else { throw SystemError.current("perf_event_open", path: encoding.detail) }
        return fd
    }

    public func eventID(_ fd: Int32) throws -> UInt64 {
        var id: UInt64 = 0
        guard bb_perf_event_id(fd, &id) == 0 else { throw SystemError.current("ioctl(PERF_EVENT_IOC_ID)") }
        return id
    }

    public func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if errno != EINTR { throw SystemError.current("read(perf event)") }
        }
    }

    public func enableGroup(_ fd: Int32) throws {
        guard bb_perf_event_enable(fd, 1) == 0 else { throw SystemError.current("ioctl(PERF_EVENT_IOC_ENABLE)") }
    }

    public func disableGroup(_ fd: Int32) throws {
        guard bb_perf_event_disable(fd, 1) == 0 else { throw SystemError.current("ioctl(PERF_EVENT_IOC_DISABLE)") }
    }

    public func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}
