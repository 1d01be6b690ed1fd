/// Which project's numbering a file's tensor type ids follow. Only id 39 differs in meaning
/// (TL2 in bitnet.cpp's fork, MXFP4 upstream); FORMATS.md 1.4 "ID collision warning".
public enum GGMLTypeDialect: String, Sendable, Codable, CustomStringConvertible {
    /// bitnet.cpp's ggml fork 406a5036: 36 I2_S, 37 I8_S, 38 TL1, 39 TL2.
    case bitnetFork = "bitnet-fork"
    /// Upstream ggml: 39 MXFP4, 40 NVFP4, 41 Q1_0.
    case upstream

    public var description: String {
        switch self {
        case .bitnetFork: return "bitnet.cpp fork"
        case .upstream: return "upstream ggml"
        }
    }
}

/// The dialect chosen for one file and why, kept so `model info` can show the decision.
public struct GGMLTypeDialectDecision: Sendable, Equatable, Codable {
    /// The numbering used to read the file's type ids.
    public var dialect: GGMLTypeDialect
    /// The evidence, e.g. "general.architecture is bitnet".
    public var reason: String

    public init(dialect: GGMLTypeDialect, reason: String) {
        self.dialect = dialect
        self.reason = reason
    }

    /// The file types (`general.file_type`) only the fork defines: 39 MOSTLY_TL2, 40 MOSTLY_I2_S
    /// (FORMATS.md 1.4, verified on the fork's files).
    static let forkOnlyFileTypes: Set<Int> = [39, 40]

    /// Decides how to read id 39 from the file's context, strongest evidence first:
    /// the architecture, other fork-only ids (36-38), then whether the blobs' sizes (the gaps
    /// between stored offsets) fit TL2 or MXFP4, then `general.file_type`.
    /// `sizeFits(type)` answers whether every id-39 tensor's blob fits its gap as `type`.
    static func decide(architecture: String?, fileType: Int?, typeIDs: [UInt32],
                       sizeFits: (GGMLType) -> Bool) -> GGMLTypeDialectDecision {
        if let architecture, architecture.hasPrefix("bitnet") {
            return .init(dialect: .bitnetFork, reason: "general.architecture is \(architecture)")
        }
        if let forkID = typeIDs.first(where: { (36...38).contains($0) }) {
            return .init(dialect: .bitnetFork, reason: "tensor type id \(forkID) exists only in the bitnet.cpp fork")
        }
        guard typeIDs.contains(39) else {
            return .init(dialect: .upstream, reason: "no tensor uses an ambiguous type id")
        }
        let fitsTL2 = sizeFits(.tl2), fitsMXFP4 = sizeFits(.mxfp4)
        if fitsTL2 && !fitsMXFP4 {
            return .init(dialect: .bitnetFork, reason: "id-39 blob sizes match TL2, not MXFP4")
        }
        if fitsMXFP4 && !fitsTL2 {
            return .init(dialect: .upstream, reason: "id-39 blob sizes match MXFP4, not TL2")
        }
        if let fileType, forkOnlyFileTypes.contains(fileType) {
            return .init(dialect: .bitnetFork, reason: "general.file_type \(fileType) exists only in the bitnet.cpp fork")
        }
        return .init(dialect: .upstream, reason: "no bitnet evidence; upstream numbering assumed")
    }
}
