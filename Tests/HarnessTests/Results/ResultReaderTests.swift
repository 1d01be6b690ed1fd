import Foundation
import Harness
import Testing

@Suite("Result reader")
struct ResultReaderTests {
    static let records = [
        ResultFixtures.record(format: "i2_s", speeds: [100, 110, 90.125]),
        ResultFixtures.record(format: "f16", test: BenchTest(kind: .tg, tokens: 16), speeds: [10.5, 12], vsF16: .known(1)),
    ]

    @Test("JSONL and JSON documents read back to the schema's values, field for field, in schema order")
    func roundTrip() throws {
        let result = ResultFixtures.result(Self.records)
        let dir = try ResultFixtures.directory()
        for format in [BenchReport.Format.jsonl, .json] {
            let path = try ResultFixtures.write(try BenchReport.render(result, as: format), "run.\(format.rawValue)", in: dir)
            let rows = try ResultReader.read(path: path)
            #expect(rows.count == Self.records.count)
            for (row, record) in zip(rows, Self.records) {
                #expect(row.names == result.schema.fields.map(\.name))
                for (field, value) in zip(result.schema.fields, result.schema.values(record)) where field.name != BenchSchema.reasonsField {
                    #expect(row[field.name] == value, "\(format) \(field.name)")
                }
            }
        }
    }

    @Test("report re-renders JSONL and CSV byte for byte as bench printed them")
    func reRender() throws {
        let result = ResultFixtures.result(Self.records)
        let table = try ResultFixtures.table(Self.records)
        #expect(try ResultPrinter.render(table, as: .jsonl) == BenchReport.render(result, as: .jsonl))
        #expect(try ResultPrinter.render(table, as: .csv) == BenchReport.render(result, as: .csv))
        // report's own JSON document reads back to the same rows.
        let json = try ResultPrinter.render(table, as: .json)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
        let again = try ResultReader.parse(Data(json.utf8), file: "again.json")
        #expect(again.map(\.values) == table.rows.map(\.values))
        let md = try ResultPrinter.render(table, as: .md)
        #expect(md.contains("| 700M | i2_s | 2 | pp64 | 100.00 ± 9.88 |"))
        #expect(md.contains("| 700M | f16 | 2 | tg16 | 11.25 ± 0.75 |"))
        #expect(md.contains("x_f16: unavailable: no F16 row in this run"))
    }

    @Test("the reader's integer fields are exactly the schema's integer fields")
    func integerFields() {
        let result = ResultFixtures.result(Self.records)
        let integers = zip(result.schema.fields, result.schema.values(Self.records[0])).compactMap { field, value -> String? in
            if case .integer = value { return field.name }
            return nil
        }
        #expect(Set(integers) == ResultReader.integerFields)
    }

    @Test("several files merge in order; a field missing from one file is unavailable with the reason")
    func merge() throws {
        let dir = try ResultFixtures.directory()
        let a = try ResultFixtures.write(try BenchReport.render(ResultFixtures.result([Self.records[0]]), as: .json), "a.json", in: dir)
        var line = try BenchReport.render(ResultFixtures.result([Self.records[1]]), as: .jsonl)
        line = line.replacingOccurrences(of: "\"kernel_path\": \"avx2\", ", with: "")
        let b = try ResultFixtures.write(line, "b.jsonl", in: dir)
        let table = try ResultReader.read(paths: [a, b])
        #expect(table.rows.map { $0.text("format") } == ["i2_s", "f16"])
        #expect(table.rows.map(\.file) == [a, b])
        #expect(table.fieldNames.contains("kernel_path"))
        #expect(table.fieldNames.last == BenchSchema.reasonsField)
        guard case .reasons(let reasons)? = table.values(table.rows[1]).last else { Issue.record("no reasons"); return }
        #expect(reasons.contains { $0.field == "kernel_path" && $0.reason.contains("no field kernel_path") })
    }

    static func error(_ text: String, file: String = "bad.jsonl") -> ResultFileError? {
        do {
            _ = try ResultReader.parse(Data(text.utf8), file: file)
            return nil
        } catch let error as ResultFileError {
            return error
        } catch {
            return nil
        }
    }

    @Test("malformed files are refused naming the file, the line and the field")
    func malformed() throws {
        let good = try BenchReport.render(ResultFixtures.result([Self.records[0]]), as: .jsonl)
        let notJSON = Self.error(good + "{not json\n")
        #expect(notJSON?.line == 2 && notJSON?.field == nil)
        #expect(notJSON?.description.hasPrefix("bad.jsonl:2: ") == true)

        let version = Self.error(good.replacingOccurrences(of: "\"schema_version\": 1", with: "\"schema_version\": 2"))
        #expect(version?.field == "schema_version" && version?.line == 1)
        #expect(version?.description.contains("expected schema version 1") == true)

        let threads = Self.error(good.replacingOccurrences(of: "\"threads\": 2", with: "\"threads\": \"two\""))
        #expect(threads?.field == "threads")
        #expect(threads?.description.contains("the string 'two'") == true)

        let fraction = Self.error(good.replacingOccurrences(of: "\"batch\": 512", with: "\"batch\": 512.5"))
        #expect(fraction?.field == "batch")

        let missing = Self.error(good.replacingOccurrences(of: "\"model\": \"700M\", ", with: ""))
        #expect(missing?.field == "model" && missing?.description.contains("missing") == true)

        let array = Self.error("[1, 2]\n")
        #expect(array?.line == 1 && array?.description.contains("expected a JSON object") == true)

        #expect(Self.error("\n\n")?.description.contains("no records") == true)
        #expect(Self.error("{\"records\": 3}", file: "doc.json")?.field == "records")
        let inDocument = Self.error("{\"schema_version\": 1, \"records\": [{\"schema_version\": 1, \"model\": \"m\"}]}", file: "doc.json")
        #expect(inDocument?.field == "records[0].format")

        #expect(throws: ResultFileError.self) { try ResultReader.read(path: "/nonexistent/bitbench-results.jsonl") }
    }
}
