import Engine
import Foundation
import Harness
import Measurement
import Testing

@Suite("Bench report")
struct BenchReportTests {
    static func record(format: String, test: BenchTest, speeds: [Double], counters: [ProbeSummary]) -> BenchRecord {
        var breakdown = TimeBreakdown()
        breakdown.add(.matmul, nanoseconds: 600)
        breakdown.add(.attention, nanoseconds: 100)
        breakdown.add(.sampling, nanoseconds: 50)
        return BenchRecord(model: "700M", source: "synthetic 700M \(format) seed 1", format: format, weightBytes: 1 << 28,
                           parameters: 700_000_000, threads: 2, batch: 512, numa: "local", numaNote: "one NUMA node",
                           test: test, kernelPath: "avx2", warmups: 1, tokens: test.tokens,
                           tokensPerSecond: SampleStatistics(speeds)!, shares: PhaseShares(breakdown: breakdown, wallNanoseconds: 1000),
                           vsF16: format == "f16" ? .known(1) : .unknown("no F16 row, with, \"commas\""),
                           counters: counters, energy: EnergySummary(notRequested: "energy not requested (--energy off)"),
                           loadBefore: 0.5, loadAfter: nil)
    }

    static func result() -> BenchResult {
        let names = ["task-clock", "cycles"]
        let counters = [ProbeSummary(name: "task-clock", value: .known(1.5e6), unit: "ns"),
                        ProbeSummary(name: "cycles", value: .unknown("ENOENT: no hardware PMU"), unit: nil)]
        let records = [
            record(format: "i2_s", test: BenchTest(kind: .pp, tokens: 64), speeds: [100, 110, 90], counters: counters),
            record(format: "f16", test: BenchTest(kind: .tg, tokens: 16), speeds: [10, 12], counters: counters),
        ]
        return BenchResult(schema: BenchSchema(counterNames: names), records: records,
                           context: BenchContext(build: "release", cpu: "Test CPU", onlineCPUs: 2, loadAtStart: 0.1,
                                                 loadAtEnd: 0.2, warnings: ["the machine is busy"]))
    }

    @Test("the schema lists every field once with a unit column and a description; counters follow the request")
    func schema() {
        let schema = Self.result().schema
        let names = schema.fields.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.contains("counter[task-clock]") && names.contains("counter[cycles]"))
        #expect(names.last == BenchSchema.reasonsField)
        #expect(schema.fields.allSatisfy { !$0.description.isEmpty })
        for required in ["tokens_per_second", "tokens_per_second_mad", "repetitions", "x_f16", "share_matmul", "share_other", "energy_joules"] {
            #expect(names.contains(required))
        }
    }

    @Test("CSV: the header is the schema, every row has every column, unavailable cells are empty")
    func csv() throws {
        let result = Self.result()
        let text = try BenchReport.render(result, as: .csv)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == result.schema.fields.map(\.name).joined(separator: ","))
        for line in lines.dropFirst() {
            #expect(Self.csvCells(line).count == result.schema.fields.count)
        }
        let header = Self.csvCells(lines[0])
        let row = Self.csvCells(lines[1])
        #expect(row[header.firstIndex(of: "counter[cycles]")!] == "")
        #expect(row[header.firstIndex(of: "counter[task-clock]")!] == "1500000.0")
        #expect(row[header.firstIndex(of: "unavailable")!].contains("counter[cycles]: ENOENT: no hardware PMU"))
    }

    @Test("JSON: one document with the schema and every field of every record; null where unavailable, with the reason")
    func json() throws {
        let result = Self.result()
        let text = try BenchReport.render(result, as: .json)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["schema_version"] as? Int == BenchSchema.version)
        let schema = try #require(document["schema"] as? [[String: Any]])
        #expect(schema.map { $0["name"] as? String } == result.schema.fields.map(\.name))
        let records = try #require(document["records"] as? [[String: Any]])
        #expect(records.count == 2)
        for record in records {
            #expect(Set(record.keys) == Set(result.schema.fields.map(\.name)))
            #expect(record["counter[cycles]"] is NSNull)
            #expect(record["energy_joules"] is NSNull)
            let reasons = try #require(record["unavailable"] as? [String: String])
            #expect(reasons["counter[cycles]"] == "ENOENT: no hardware PMU")
            #expect(reasons["energy_joules"] == "energy not requested (--energy off)")
        }
        #expect(records[0]["tokens_per_second"] as? Double == 100)
        #expect(records[0]["x_f16"] is NSNull)
        #expect(records[1]["x_f16"] as? Double == 1)
        #expect(records[1]["tokens_per_second"] as? Double == 11)
    }

    @Test("JSONL: one parseable record per line with every field")
    func jsonLines() throws {
        let result = Self.result()
        let lines = try BenchReport.render(result, as: .jsonl).split(separator: "\n")
        #expect(lines.count == result.records.count)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object.count == result.schema.fields.count)
            #expect(object["schema_version"] as? Int == BenchSchema.version)
        }
    }

    @Test("Markdown: a row per record with median ± MAD, n, x F16 and the shares; n/a with the reason in the notes")
    func markdown() throws {
        let text = try BenchReport.render(Self.result(), as: .md)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| 700M") }
        #expect(rows.count == 4)  // two in the speed table, two in the counter table
        #expect(rows[0].contains("100.00 ± 10.00"))
        #expect(rows[0].contains("90.00–110.00"))
        #expect(rows[0].contains("| pp64 |"))
        #expect(rows[0].contains("60.0%"))   // matmul share: 600 of 1000 ns
        #expect(rows[1].contains("| 1.00 |"))
        #expect(text.contains("counter[cycles]: unavailable: ENOENT: no hardware PMU"))
        #expect(text.contains("energy_joules, energy_joules_per_token: unavailable: energy not requested"))
        #expect(text.contains("warning: the machine is busy"))
        #expect(!text.contains("| batch |"))  // constant sweep columns are hidden
    }

    @Test("MAD and the shares: outliers do not move the MAD; shares sum to 1")
    func statistics() throws {
        let s = try #require(SampleStatistics([10, 11, 9, 10, 100]))
        #expect(s.median == 10)
        #expect(s.medianAbsoluteDeviation == 1)
        var breakdown = TimeBreakdown()
        breakdown.add(.matmul, nanoseconds: 700)
        breakdown.add(.embedding, nanoseconds: 50)
        let shares = PhaseShares(breakdown: breakdown, wallNanoseconds: 1000)
        #expect(abs(shares.shares.reduce(0, +) - 1) < 1e-12)
        #expect(shares[.matmul] == 0.7)
        #expect(abs(shares[.other] - 0.3) < 1e-12)
        // Categories longer than the wall clock (granularity) still give shares summing to 1.
        let over = PhaseShares(breakdown: breakdown, wallNanoseconds: 100)
        #expect(abs(over.shares.reduce(0, +) - 1) < 1e-12)
    }

    /// Splits one CSV line, honouring RFC 4180 quotes ("" inside a quoted cell is one quote).
    static func csvCells(_ line: String) -> [String] {
        let chars = Array(line)
        var cells: [String] = []
        var current = ""
        var quoted = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { current.append("\""); i += 1 } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                cells.append(current)
                current = ""
            } else {
                current.append(c)
            }
            i += 1
        }
        cells.append(current)
        return cells
    }
}
