import Glibc

/// A whole file mapped read-only (PROT_READ, MAP_PRIVATE). Unmapped when released.
/// An empty file has no mapping and an empty buffer (mmap of length 0 is EINVAL).
final class MappedRegion: @unchecked Sendable {
    /// The mapped bytes; valid for the life of this object.
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws {
        let fd = try FileDescriptor.openForReading(path)
        defer { try? fd.close() }
        let size = try fd.size()
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd.rawValue, 0),
              address != MAP_FAILED else {
            throw SystemCallError.current("mmap", path: path)
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
