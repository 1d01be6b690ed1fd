import Foundation

/// A snapshot of the machine and the build: what every benchmark record carries as context,
/// and what `bitbench sysinfo` prints. Sections are listed in `sectionTypes`.
public struct SystemInfo: Codable, Sendable {
    /// The JSON layout version; bump it when a field changes meaning.
    public static let schemaVersion = 1

    /// Every section, in print order. Add a section by adding its type here.
    public static let sectionTypes: [any SystemInfoSection.Type] = [
        CPUSection.self,
        NUMASection.self,
        MemorySection.self,
        PerfSection.self,
        ProbesSection.self,
        FrequencySection.self,
        KernelSection.self,
        BuildSection.self,
    ]

    /// Sections collected only on request (they take time or allocate memory); decodable too.
    public static let optionalSectionTypes: [any SystemInfoSection.Type] = [
        PlacementSection.self,
    ]

    /// `schemaVersion` at collection time.
    public var schema: Int
    /// The sections, in `sectionTypes` order.
    public var sections: [any SystemInfoSection]

    /// Collects every section from `paths` (the live machine by default), plus `extra` sections.
    public static func collect(paths: SystemPaths = .live, extra: [any SystemInfoSection.Type] = []) -> SystemInfo {
        let context = SystemInfoContext(paths: paths)
        return SystemInfo(schema: schemaVersion, sections: (sectionTypes + extra).map { $0.collect(context) })
    }

    /// A snapshot made of given sections (tests, and callers that collect a subset).
    public init(schema: Int = SystemInfo.schemaVersion, sections: [any SystemInfoSection]) {
        self.schema = schema
        self.sections = sections
    }

    /// The section of type `type`, if collected.
    public func section<Section: SystemInfoSection>(_ type: Section.Type) -> Section? {
        sections.lazy.compactMap { $0 as? Section }.first
    }

    /// All sections' warnings, in order.
    public var warnings: [String] { sections.flatMap(\.warnings) }

    /// The text report: one heading per section and aligned `label: value` lines.
    public func text() -> String {
        var out = ""
        for section in sections {
            out += type(of: section).title + "\n"
            let lines = section.textLines
            let width = lines.map(\.label.count).max() ?? 0
            for line in lines {
                let pad = String(repeating: " ", count: width - line.label.count)
                out += "  \(line.label):\(pad) \(line.value)\n"
            }
            out += "\n"
        }
        return out
    }

    /// Pretty JSON with sorted keys (stable output for diffs).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes `{"schema": 1, "<key>": {…}, …}`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(schema, forKey: Key("schema"))
        for section in sections {
            try encodeSection(section, into: &container)
        }
    }

    private func encodeSection<Section: SystemInfoSection>(_ section: Section, into container: inout KeyedEncodingContainer<Key>) throws {
        try container.encode(section, forKey: Key(Section.key))
    }

    /// Decodes every registered section present in the JSON; unknown keys are ignored.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        schema = try container.decode(Int.self, forKey: Key("schema"))
        sections = try (SystemInfo.sectionTypes + SystemInfo.optionalSectionTypes).compactMap { try SystemInfo.decodeSection($0, from: container) }
    }

    private static func decodeSection<Section: SystemInfoSection>(_ type: Section.Type, from container: KeyedDecodingContainer<Key>) throws -> (any SystemInfoSection)? {
        try container.decodeIfPresent(Section.self, forKey: Key(Section.key))
    }
}
