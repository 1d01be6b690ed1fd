#if canImport(Glibc)
import Glibc
#endif

/// Opens MSR devices; injectable because real MSRs are not byte-addressed (0xC001029A and
/// 0xC001029B are different 64-bit registers), so a file cannot stand in for the device.
public protocol MSRAccess: Sendable {
    /// Opens a device such as /dev/cpu/0/msr; throws `SystemError` (ENOENT without the msr
    /// module, EACCES/EPERM without root or CAP_SYS_RAWIO).
    func open(_ path: String) throws -> any MSRHandle
}

/// One open MSR device.
public protocol MSRHandle: AnyObject, Sendable {
    /// The device path.
    var path: String { get }
    /// Reads one MSR; EIO means the CPU (or hypervisor) does not implement it.
    func read(_ address: UInt32) throws -> UInt64
    /// Releases the device.
    func close()
}

/// The real /dev/cpu/N/msr devices.
public struct SystemMSRAccess: MSRAccess {
    /// Makes the accessor.
    public init() {}

    public func open(_ path: String) throws -> any MSRHandle {
        try MSRDevice(path: path)
    }
}

/// One CPU's MSR device: an MSR is read as 8 bytes at offset = its address. Owns its descriptor.
final class MSRDevice: MSRHandle, @unchecked Sendable {
    let path: String
    private var fd: Int32

    init(path: String) throws {
        self.path = path
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.current("open", path: path) }
    }

    func read(_ address: UInt32) throws -> UInt64 {
        var value: UInt64 = 0
        let n = withUnsafeMutableBytes(of: &value) { pread(fd, $0.baseAddress, 8, off_t(address)) }
        guard n == 8 else {
            throw SystemError("pread(MSR 0x\(String(address, radix: 16, uppercase: true)))", path: path, errno: n < 0 ? errno : EIO)
        }
        return value
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}
