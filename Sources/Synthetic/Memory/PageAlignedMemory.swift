#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// An anonymous, page-aligned, zero-filled memory mapping with one owner: mapped in `init`,
/// unmapped in `deinit`. Pages are committed on first touch, so the writer decides where they land.
public final class PageAlignedMemory: @unchecked Sendable {
    /// Start of the mapping.
    public let base: UnsafeMutableRawPointer
    /// Usable bytes (the mapping is rounded up to whole pages).
    public let byteCount: Int
    private let mappedBytes: Int

    /// The system page size.
    public static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Rounds `bytes` up to a whole number of pages.
    public static func pageRounded(_ bytes: Int) -> Int {
        (bytes + pageSize - 1) / pageSize * pageSize
    }

    /// Maps `byteCount` bytes (at least one page). Throws with errno when the kernel refuses.
    public init(byteCount: Int) throws {
        precondition(byteCount >= 0)
        let length = Self.pageRounded(max(byteCount, 1))
        let pointer = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let pointer, pointer != MAP_FAILED else {
            let code = errno
            throw SyntheticError.system(operation: "mmap \(length) anonymous bytes for", path: "synthetic weights",
                                        errno: code, message: String(cString: strerror(code)))
        }
        base = pointer
        self.byteCount = byteCount
        mappedBytes = length
    }

    /// The whole usable range.
    public var buffer: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: base, count: byteCount)
    }

    /// Asks the kernel to back the range with transparent huge pages (fewer TLB misses when
    /// streaming multi-GB weights); a hint only, failures are ignored.
    public func adviseHugePages() {
        #if os(Linux)
        _ = madvise(base, mappedBytes, MADV_HUGEPAGE)
        #endif
    }

    deinit {
        munmap(base, mappedBytes)
    }
}
