import Foundation

/// The process environment behind one lock: glibc's setenv may reallocate `environ` while another
/// thread walks it, so BitBench's own writers (LIBPFM_FORCE_PMU) and readers (a command's envp)
/// take turns.
enum ProcessEnvironment {
    private static let lock = NSLock()

    /// Every variable, read under the lock.
    static func snapshot() -> [String: String] {
        lock.lock(); defer { lock.unlock() }
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }

    /// One variable's value.
    static func value(_ name: String) -> String? {
        lock.lock(); defer { lock.unlock() }
        return getenv(name).map { String(cString: $0) }
    }

    /// Sets (or with nil, removes) a variable under the lock.
    static func set(_ name: String, _ value: String?) {
        lock.lock(); defer { lock.unlock() }
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
}
