#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Free space of the file system holding a path, from statvfs(3): the bytes an unprivileged
/// process may still write (f_bavail x f_frsize).
public enum DiskSpace {
    /// Bytes available to this user on the file system of `directory`.
    public static func available(directory: String) throws -> Int {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else {
            let code = errno
            throw SyntheticError.system(operation: "statvfs", path: directory, errno: code,
                                        message: String(cString: strerror(code)))
        }
        let (bytes, overflow) = Int(info.f_bavail).multipliedReportingOverflow(by: Int(info.f_frsize))
        return overflow ? Int.max : bytes
    }

    /// Throws `insufficientDiskSpace` unless `bytes` plus a 64 MiB margin fit in `directory`.
    public static func require(_ bytes: Int, in directory: String, for path: String) throws {
        let free = try available(directory: directory)
        let needed = bytes + (64 << 20)
        if free < needed {
            throw SyntheticError.insufficientDiskSpace(path: path, needed: needed, available: free)
        }
    }
}
