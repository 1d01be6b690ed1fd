/// The CPU's vendor, family and model from /proc/cpuinfo (first processor).
struct CPUIdentity: Equatable {
    var vendor: String
    var family: Int
    var model: Int

    /// Reads `vendor_id`, `cpu family` and `model` from a cpuinfo file.
    static func read(_ path: String, files: any FileAccess) throws -> CPUIdentity {
        let text = try files.readText(path)
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.strippingWhitespace().isEmpty { break }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[parts[0].strippingWhitespace()] = parts[1].strippingWhitespace()
        }
        guard let vendor = fields["vendor_id"], let family = fields["cpu family"].flatMap({ Int($0) }),
              let model = fields["model"].flatMap({ Int($0) }) else {
            throw CounterConfigurationError("\(path): no vendor_id, cpu family and model lines")
        }
        return CPUIdentity(vendor: vendor, family: family, model: model)
    }
}
