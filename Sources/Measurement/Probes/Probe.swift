/// A measurement wrapped around a phase (a kernel call, prompt processing, generation, a command).
///
/// `begin()` and `end()` sit on the measured path, so they do not allocate and make at most a few
/// system calls; failures there are remembered and reported by `reading()`, which does the
/// arithmetic afterwards. A probe measures one interval at a time.
public protocol Probe: AnyObject {
    /// What the probe reports: data, never a bare 0 for "unknown".
    associatedtype Reading: Codable & Sendable
    /// Marks the start of the interval.
    func begin()
    /// Marks the end of the interval started by the last `begin()`.
    func end()
    /// The data of the last interval.
    func reading() -> Reading
}
