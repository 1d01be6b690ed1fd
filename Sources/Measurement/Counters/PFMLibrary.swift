import CLibPFM
import Foundation

/// libpfm4, the event-name encoder: initialized lazily, every call under one lock (libpfm4 keeps
/// global state and is not thread-safe).
public final class PFMLibrary: @unchecked Sendable {
    /// The process-wide instance.
    public static let shared = PFMLibrary()

    /// A libpfm4 failure: its return code and pfm_strerror's text.
    public struct Failure: Error, CustomStringConvertible, Sendable, Equatable {
        /// The PFM_ERR_* code (negative).
        public var code: Int32
        /// pfm_strerror(code).
        public var message: String
        /// True for PFM_ERR_NOTFOUND: libpfm4 does not know the name.
        public var isNotFound: Bool { code == PFM_ERR_NOTFOUND }
        public var description: String { "libpfm4: \(message) (code \(code))" }
    }

    /// A PMU libpfm4 believes is present (from CPUID, not from the kernel).
    public struct PMU: Codable, Sendable, Equatable {
        /// libpfm4's name, e.g. "amd64_fam19h_zen3", "skl", "perf".
        public var name: String
        /// Its description.
        public var description: String
        /// True for a core PMU (counts on the CPU pipeline), as opposed to uncore or OS PMUs.
        public var isCore: Bool
    }

    private let lock = NSRecursiveLock()
    private var initialization: Int32?

    private init() {}

    /// Initializes libpfm4 if needed; returns nil on success or the failure.
    private func ensureInitialized() -> Failure? {
        if initialization == nil { initialization = pfm_initialize() }
        let code = initialization ?? PFM_SUCCESS
        return code == PFM_SUCCESS ? nil : Self.failure(code)
    }

    private static func failure(_ code: Int32) -> Failure {
        Failure(code: code, message: String(cString: pfm_strerror(code)))
    }

    /// Whether pfm_initialize succeeded; the failure otherwise.
    public func initializationFailure() -> Failure? {
        lock.lock(); defer { lock.unlock() }
        return ensureInitialized()
    }

    /// Encodes `name` for perf_event_open at user level (PFM_PLM3).
    public func encode(_ name: String) -> Result<PerfEventEncoding, Failure> {
        lock.lock(); defer { lock.unlock() }
        if let failure = ensureInitialized() { return .failure(failure) }
        var attr = perf_event_attr()
        var fstr: UnsafeMutablePointer<CChar>? = nil
        var arg = pfm_perf_encode_arg_t()
        arg.size = MemoryLayout<pfm_perf_encode_arg_t>.size
        let code: Int32 = withUnsafeMutablePointer(to: &attr) { attrPointer in
            withUnsafeMutablePointer(to: &fstr) { fstrPointer in
                arg.attr = attrPointer
                arg.fstr = fstrPointer
                return pfm_get_os_event_encoding(name, Int32(PFM_PLM3), PFM_OS_PERF_EVENT, &arg)
            }
        }
        defer { free(fstr) }
        guard code == PFM_SUCCESS else { return .failure(Self.failure(code)) }
        let canonical = fstr.map { String(cString: $0) } ?? name
        return .success(PerfEventEncoding(
            type: attr.type, config: attr.config, config1: attr.config1, config2: attr.config2,
            excludeUser: attr.exclude_user != 0, excludeKernel: attr.exclude_kernel != 0,
            excludeHypervisor: attr.exclude_hv != 0, source: .libpfm4, detail: canonical,
            pmu: pmuName(ofEventIndex: arg.idx)))
    }

    private func pmuName(ofEventIndex index: Int32) -> String? {
        var info = pfm_event_info_t()
        info.size = MemoryLayout<pfm_event_info_t>.size
        guard pfm_get_event_info(index, PFM_OS_PERF_EVENT, &info) == PFM_SUCCESS else { return nil }
        var pmu = pfm_pmu_info_t()
        pmu.size = MemoryLayout<pfm_pmu_info_t>.size
        guard pfm_get_pmu_info(info.pmu, &pmu) == PFM_SUCCESS, let name = pmu.name else { return nil }
        return String(cString: name)
    }

    /// The PMUs libpfm4 reports present.
    public func presentPMUs() -> [PMU] {
        lock.lock(); defer { lock.unlock() }
        guard ensureInitialized() == nil else { return [] }
        var result: [PMU] = []
        // pfm_pmu_t values run from PFM_PMU_NONE to PFM_PMU_MAX (pfmlib.h).
        for raw in 0..<PFM_PMU_MAX.rawValue {
            var info = pfm_pmu_info_t()
            info.size = MemoryLayout<pfm_pmu_info_t>.size
            guard pfm_get_pmu_info(pfm_pmu_t(rawValue: raw), &info) == PFM_SUCCESS,
                  info.is_present != 0, let name = info.name else { continue }
            result.append(PMU(name: String(cString: name),
                              description: info.desc.map { String(cString: $0) } ?? "",
                              isCore: info.type == PFM_PMU_TYPE_CORE))
        }
        return result
    }

    /// Runs `body` with libpfm4 re-initialized under LIBPFM_FORCE_PMU=`pmu`, which makes it
    /// encode for a PMU the machine lacks (for tests in VMs). The variable must be set before
    /// pfm_initialize; the previous state is restored afterwards. Holds the lock throughout,
    /// so concurrent encoders wait rather than see the forced PMU. libpfm4 keeps a PMU it once
    /// activated, so after a forced run `presentPMUs()` may still list the forced PMU.
    public func withForcedPMU<T>(_ pmu: String, _ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        let previous = ProcessEnvironment.value("LIBPFM_FORCE_PMU")
        if initialization != nil { pfm_terminate() }
        ProcessEnvironment.set("LIBPFM_FORCE_PMU", pmu)
        initialization = pfm_initialize()
        defer {
            pfm_terminate()
            ProcessEnvironment.set("LIBPFM_FORCE_PMU", previous)
            initialization = nil
        }
        return try body()
    }
}
