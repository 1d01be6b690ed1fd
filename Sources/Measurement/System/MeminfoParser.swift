/// Parses meminfo text (`/proc/meminfo`, `nodeN/meminfo`) into bytes per field.
///
/// Lines look like `MemTotal:  24684084 kB` or, per node, `Node 0 MemTotal:  5466316 kB`;
/// counts without a unit (HugePages_Total) are kept as plain numbers.
public enum MeminfoParser {
    /// Field name to value: bytes for `kB` lines, the bare number otherwise.
    public static func parse(_ text: String) -> [String: Int] {
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            var key = line[..<colon].strippingWhitespace()
            if key.hasPrefix("Node "), let space = key.dropFirst(5).firstIndex(of: " ") {
                key = String(key[key.index(after: space)...])
            }
            let parts = line[line.index(after: colon)...].split(separator: " ")
            guard let number = parts.first.flatMap({ Int($0) }) else { continue }
            fields[key] = parts.count > 1 && parts[1] == "kB" ? number * 1024 : number
        }
        return fields
    }
}
