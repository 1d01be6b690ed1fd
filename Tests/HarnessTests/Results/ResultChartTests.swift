import Foundation
#if canImport(FoundationXML)
import FoundationXML  // XMLParser lives here on Linux
#endif
import Harness
import Testing

/// Counts elements while XMLParser checks well-formedness.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var text = ""
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

@Suite("Result chart")
struct ResultChartTests {
    @Test("the SVG is well-formed XML with one bar and one error bar per record, labels escaped")
    func wellFormed() throws {
        let records = [
            ResultFixtures.record(model: "a<b>&\"c\"", speeds: [100, 110, 90]),
            ResultFixtures.record(format: "f16", test: BenchTest(kind: .tg, tokens: 16), speeds: [10, 12]),
        ]
        let svg = try ResultPrinter.render(try ResultFixtures.table(records), as: .svg)
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.counts["svg"] == 1)
        #expect(counter.counts["rect"] == 2)
        #expect(counter.counts["path"] == 2)
        #expect(counter.text.contains("a<b>&\"c\" i2_s t=2 pp64"))
        #expect(counter.text.contains("100.00 ± 10.00"))
    }

    @Test("a record without a speed is a labelled gap, not a zero bar")
    func unavailable() throws {
        var line = try BenchReport.render(ResultFixtures.result([ResultFixtures.record(speeds: [5])]), as: .jsonl)
        line = line.replacingOccurrences(of: "\"tokens_per_second\": 5.0", with: "\"tokens_per_second\": null")
        line = line.replacingOccurrences(of: "\"unavailable\": {", with: "\"unavailable\": {\"tokens_per_second\": \"the run was cut short\", ")
        let rows = try ResultReader.parse(Data(line.utf8), file: "cut.jsonl")
        let svg = try ResultPrinter.render(ResultTable(rows: rows, files: ["cut.jsonl"]), as: .svg)
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse())
        #expect(counter.counts["rect"] == nil)
        #expect(counter.text.contains("n/a: the run was cut short"))
    }
}
