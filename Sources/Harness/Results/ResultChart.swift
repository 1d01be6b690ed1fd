import Foundation

/// An SVG bar chart of tokens/s per (model, format, threads, test): one horizontal bar per
/// record at its median, with the median absolute deviation as an error bar. Plain SVG text.
public enum ResultChart {
    /// The chart of `table`'s records; an unavailable speed is a labelled gap, not a zero bar.
    public static func svg(_ table: ResultTable) -> String {
        let rows = table.rows
        let labelWidth = 330.0, barArea = 420.0, rowHeight = 22.0, top = 40.0
        let width = labelWidth + barArea + 110
        let height = top + Double(max(rows.count, 1)) * rowHeight + 40
        let extents = rows.compactMap { row -> Double? in
            guard let median = row.number("tokens_per_second") else { return nil }
            return median + (row.number("tokens_per_second_mad") ?? 0)
        }
        let scale = barArea / max(extents.max() ?? 1, 1e-12)
        func f(_ x: Double) -> String { String(format: "%.2f", x) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<title>tokens per second, median with median absolute deviation</title>\n"
        out += "<text x=\"10\" y=\"20\" font-size=\"14\">tokens/s (median; error bar = ± median absolute deviation)</text>\n"
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let label = "\(row.text("model")) \(row.text("format")) t=\(row.text("threads")) \(row.text("test"))"
            out += "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + 15))\" text-anchor=\"end\">\(escape(label))</text>\n"
            guard let median = row.number("tokens_per_second") else {
                out += "<text x=\"\(f(labelWidth + 4))\" y=\"\(f(y + 15))\" fill=\"#a00\">n/a: \(escape(row.unavailableReason("tokens_per_second")))</text>\n"
                continue
            }
            out += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y + 3))\" width=\"\(f(median * scale))\" height=\"\(f(rowHeight - 6))\" fill=\"#4a7ab5\"/>\n"
            if let mad = row.number("tokens_per_second_mad") {
                let low = labelWidth + max(0, median - mad) * scale, high = labelWidth + (median + mad) * scale, mid = y + rowHeight / 2
                out += "<path d=\"M\(f(low)) \(f(mid))H\(f(high))M\(f(low)) \(f(mid - 5))V\(f(mid + 5))M\(f(high)) \(f(mid - 5))V\(f(mid + 5))\" stroke=\"#000\" fill=\"none\"/>\n"
            }
            let valueText = String(format: "%.2f", median) + (row.number("tokens_per_second_mad").map { String(format: " ± %.2f", $0) } ?? " ± n/a")
            out += "<text x=\"\(f(labelWidth + median * scale + 6 + (row.number("tokens_per_second_mad") ?? 0) * scale))\" y=\"\(f(y + 15))\">\(escape(valueText))</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// XML text escaping for element content and attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters even escaped.
                if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { out += "?" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
