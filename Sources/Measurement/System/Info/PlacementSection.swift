/// Optional section (`sysinfo --placement-check`): runs every NUMA layout on real memory with
/// workers pinned to the allowed CPUs, and reports where the kernel put the pages.
public struct PlacementSection: SystemInfoSection {
    public static let key = "placement"
    public static let title = "NUMA placement check"

    /// Bytes of weights and of KV cache placed per layout: big enough to span many pages,
    /// small enough to take milliseconds.
    public static let weightBytes = 16 << 20, kvCacheBytes = 4 << 20

    /// Whether the check could run, or why not.
    public var availability: Availability
    /// The pinning used.
    public var workers: [PinningPlan.Worker]
    /// Per layout, the per-buffer reports.
    public var layouts: [LayoutResult]
    /// The plans' note that layouts are equivalent here, if any.
    public var equivalence: String?

    /// One layout's outcome.
    public struct LayoutResult: Codable, Equatable, Sendable {
        /// The layout.
        public var layout: NUMALayout
        /// One report per buffer, or empty when planning or placing failed.
        public var reports: [PlacementReport]
        /// The planning or placement error, if any.
        public var error: String?
    }

    public static func collect(_ context: SystemInfoContext) -> PlacementSection {
        func unavailable(_ reason: String) -> PlacementSection {
            PlacementSection(availability: .unavailable(reason), workers: [], layouts: [], equivalence: nil)
        }
        guard context.isLive else { return unavailable(SystemInfoContext.recordedTreeReason) }
        if let reason = LibNUMA.unavailableReason { return unavailable(reason) }
        guard case .success(let topology) = context.topology else { return unavailable("the topology is unreadable") }
        let pinning: PinningPlan
        do {
            let planner = PinningPlanner(topology: topology)
            let allowed = Set(try CPUAffinity.current())
            let cpus = try planner.plan(.compact).cpus.filter(allowed.contains)
            pinning = try planner.plan(.list(cpus), written: "compact, restricted to the allowed CPUs \(CPUList.format(cpus))")
        } catch {
            return unavailable("\(error)")
        }
        let buffers = [BufferRequest(name: "weights", bytes: weightBytes, role: .weights),
                       BufferRequest(name: "kv-cache", bytes: kvCacheBytes, role: .kvCache)]
        let layouts = [NUMALayout.local, .interleave(nil)] + topology.memoryNodes.map { .bind($0.id) } + [.replicate]
        var results: [LayoutResult] = []
        var equivalence: String?
        for layout in layouts {
            do {
                let plan = try PlacementPlanner(topology: topology, pageSize: PageLocator.pageSize)
                    .plan(layout, pinning: pinning, buffers: buffers)
                equivalence = plan.equivalence
                let placed = try PlacementExecutor().place(plan)
                let reports = try placed.map { try PlacementCheck.run($0, layout: layout, equivalence: plan.equivalence) }
                results.append(LayoutResult(layout: layout, reports: reports, error: nil))
            } catch {
                results.append(LayoutResult(layout: layout, reports: [], error: "\(error)"))
            }
        }
        return PlacementSection(availability: .available(nil), workers: pinning.workers, layouts: results, equivalence: equivalence)
    }

    public var textLines: [SystemInfoLine] {
        guard availability.isAvailable else { return [SystemInfoLine("check", availability.description)] }
        var lines = [SystemInfoLine("workers", workers.map { "\($0.worker)->CPU \($0.cpu) (node \($0.node))" }.joined(separator: ", "))]
        for result in layouts {
            if let error = result.error {
                lines.append(SystemInfoLine(result.layout.description, "failed: \(error)"))
                continue
            }
            let parts = result.reports.map { report -> String in
                let nodes = report.replicas.map { replica in
                    replica.pagesByNode.map { "node \($0.node): \($0.pages)" }.joined(separator: ", ")
                }.joined(separator: " | ")
                return "\(report.buffer) \(report.matches ? "as planned" : "NOT as planned") (\(nodes) pages, policy \(report.replicas.map(\.kernelPolicy).joined(separator: "/")))"
            }
            lines.append(SystemInfoLine(result.layout.description, parts.joined(separator: "; ")))
        }
        if let equivalence { lines.append(SystemInfoLine("note", equivalence)) }
        return lines
    }
}
