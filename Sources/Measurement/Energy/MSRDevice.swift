#if canImport(Glibc)
import Glibc
#endif

/// One CPU's MSR device (/dev/cpu/N/msr): an MSR is read as 8 bytes at offset = its address.
/// Owns its file descriptor.
final class MSRDevice: @unchecked Sendable {
    let path: String
    private var fd: Int32

    /// Opens the device read-only; throws `SystemCallError` (ENOENT without the msr module,
    /// EACCES/EPERM without root or CAP_SYS_RAWIO).
    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError.current("open", path: path) }
    }

    /// Reads one MSR; EIO means the CPU (or hypervisor) does not implement it.
    func read(_ address: UInt32) throws -> UInt64 {
        var value: UInt64 = 0
        let n = withUnsafeMutableBytes(of: &value) { pread(fd, $0.baseAddress, 8, off_t(address)) }
        guard n == 8 else {
            throw SystemCallError("pread(MSR 0x\(String(address, radix: 16, uppercase: true)))", path: path, errno: n < 0 ? errno : EIO)
        }
        return value
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    deinit { close() }
}
