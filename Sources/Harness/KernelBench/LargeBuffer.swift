#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An anonymous, page-aligned mapping for benchmark data (weight copies, the bandwidth probe),
/// asked to use transparent huge pages so TLB misses do not distort streaming reads. Every page
/// is written once at creation, so the memory is resident before anything is timed.
final class LargeBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int, fill: UInt8 = 0) throws {
        let size = max(byteCount, 1)
        guard let raw = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else {
            throw SystemCallError(operation: "mmap \(size) bytes", errno: errno)
        }
        #if os(Linux)
        // Advice only: without THP the buffer still works, just with more TLB misses.
        _ = madvise(raw, size, MADV_HUGEPAGE)
        #endif
        pointer = raw
        self.byteCount = byteCount
        memset(raw, Int32(fill), size)
    }

    deinit { munmap(pointer, max(byteCount, 1)) }
}
