import Glibc

/// A thin typed wrapper over a POSIX file descriptor: every call retries EINTR and throws
/// `SystemCallError` instead of returning -1. Closing is explicit.
struct FileDescriptor {
    let rawValue: Int32
    let path: String

    /// Opens `path` read-only.
    static func openForReading(_ path: String) throws -> FileDescriptor {
        try open(path, flags: O_RDONLY | O_CLOEXEC, mode: 0)
    }

    /// Creates (or truncates) `path` for writing, mode 0644 before the umask.
    static func create(_ path: String, exclusive: Bool) throws -> FileDescriptor {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        return try open(path, flags: flags, mode: 0o644)
    }

    /// Opens a directory so it can be fsynced after a rename.
    static func openDirectory(_ path: String) throws -> FileDescriptor {
        try open(path, flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC, mode: 0)
    }

    private static func open(_ path: String, flags: Int32, mode: mode_t) throws -> FileDescriptor {
        while true {
            let fd = Glibc.open(path, flags, mode)
            if fd >= 0 { return FileDescriptor(rawValue: fd, path: path) }
            if errno != EINTR { throw SystemCallError.current("open", path: path) }
        }
    }

    /// The size in bytes, from fstat.
    func size() throws -> Int {
        var info = stat()
        guard fstat(rawValue, &info) == 0 else { throw SystemCallError.current("fstat", path: path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            throw SystemCallError(operation: "open (not a regular file)", path: path, errno: isDirectory ? EISDIR : EINVAL)
        }
        return Int(info.st_size)
    }

    /// Writes all of `bytes`, looping over short writes.
    func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Glibc.write(rawValue, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemCallError.current("write", path: path)
            }
            pointer += written
            remaining -= written
        }
    }

    /// Flushes the file's data and metadata to the device.
    func sync() throws {
        while fsync(rawValue) != 0 {
            if errno != EINTR { throw SystemCallError.current("fsync", path: path) }
        }
    }

    /// Closes the descriptor. A failed close after writing can mean lost data, so it throws.
    func close() throws {
        // EINTR on close must not be retried on Linux: the descriptor is already released.
        if Glibc.close(rawValue) != 0 && errno != EINTR {
            throw SystemCallError.current("close", path: path)
        }
    }
}

/// Thin wrappers over path-level calls, with the same error convention.
enum FileSystem {
    /// Atomically replaces `destination` by `source` (same directory).
    static func rename(_ source: String, to destination: String) throws {
        guard Glibc.rename(source, destination) == 0 else {
            throw SystemCallError.current("rename to \(destination)", path: source)
        }
    }

    /// Removes a file; a missing file is not an error.
    static func unlinkIfPresent(_ path: String) {
        _ = Glibc.unlink(path)
    }
}
