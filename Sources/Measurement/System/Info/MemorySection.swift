/// Machine memory and the huge-page settings (/proc/meminfo, /sys/kernel/mm/transparent_hugepage).
public struct MemorySection: SystemInfoSection {
    public static let key = "memory"
    public static let title = "Memory"

    /// The hugetlbfs pool.
    public struct HugeTLB: Codable, Equatable, Sendable {
        /// HugePages_Total.
        public var pagesTotal: Int
        /// HugePages_Free.
        public var pagesFree: Int
        /// Hugepagesize in bytes.
        public var pageSizeBytes: Int
    }

    /// MemTotal, bytes.
    public var totalBytes: Known<Int>
    /// MemAvailable, bytes.
    public var availableBytes: Known<Int>
    /// Transparent huge pages mode: `always`, `madvise` or `never`.
    public var transparentHugepages: Known<String>
    /// Transparent huge pages defrag mode.
    public var transparentHugepagesDefrag: Known<String>
    /// The reserved huge-page pool.
    public var hugetlb: Known<HugeTLB>

    public static func collect(_ context: SystemInfoContext) -> MemorySection {
        let procfs = context.paths.procfsReader, sysfs = context.paths.sysfsReader
        let meminfo = Known<[String: Int]>.reading { MeminfoParser.parse(try procfs.string("meminfo")) }
        func field(_ name: String) -> Known<Int> {
            switch meminfo {
            case .known(let fields): return fields[name].map(Known.known) ?? .unknown("\(procfs.path("meminfo")) has no \(name) line")
            case .unknown(let reason): return .unknown(reason)
            }
        }
        let hugetlb: Known<HugeTLB>
        switch (field("HugePages_Total"), field("HugePages_Free"), field("Hugepagesize")) {
        case (.known(let total), .known(let free), .known(let size)):
            hugetlb = .known(HugeTLB(pagesTotal: total, pagesFree: free, pageSizeBytes: size))
        case (let total, _, _):
            hugetlb = .unknown(total.reason ?? "\(procfs.path("meminfo")) lacks HugePages_Free or Hugepagesize")
        }
        return MemorySection(totalBytes: field("MemTotal"), availableBytes: field("MemAvailable"),
                             transparentHugepages: selected(sysfs, "kernel/mm/transparent_hugepage/enabled"),
                             transparentHugepagesDefrag: selected(sysfs, "kernel/mm/transparent_hugepage/defrag"),
                             hugetlb: hugetlb)
    }

    // The kernel marks the active choice in brackets: `always [madvise] never`.
    static func selected(_ sysfs: SysfsReader, _ path: String) -> Known<String> {
        do {
            let text = try sysfs.string(path)
            guard let open = text.firstIndex(of: "["), let close = text.firstIndex(of: "]"), open < close else {
                return .unknown("\(sysfs.path(path)) has no [selected] choice: \"\(text)\"")
            }
            return .known(String(text[text.index(after: open)..<close]))
        } catch {
            return .unknown("\(error)")
        }
    }

    public var textLines: [SystemInfoLine] {
        [
            SystemInfoLine("total", totalBytes.text { ByteCount.format($0) }),
            SystemInfoLine("available", availableBytes.text { ByteCount.format($0) }),
            SystemInfoLine("transparent hugepages", transparentHugepages.text { $0 } + transparentHugepagesDefrag.text { ", defrag \($0)" }.replacingUnknown),
            SystemInfoLine("hugetlb pool", hugetlb.text { "\($0.pagesTotal) pages of \(ByteCount.format($0.pageSizeBytes)), \($0.pagesFree) free" }),
        ]
    }
}

private extension String {
    // A defrag mode that could not be read is left out of the one-line summary (JSON keeps the reason).
    var replacingUnknown: String { hasPrefix("unknown") ? "" : self }
}
