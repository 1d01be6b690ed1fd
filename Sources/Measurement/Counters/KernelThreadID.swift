import CPerfEvent

/// Kernel thread ids, which per-thread counter groups are opened on (`CounterScope.threads`).
public enum KernelThreadID {
    /// The calling thread's id (gettid). A pinned worker records its own at start-up.
    public static func current() -> Int32 {
        bb_gettid()
    }
}
