import Foundation
import Harness
import Testing

@Suite("Result comparison")
struct ResultComparisonTests {
    static func compare(_ base: [BenchRecord], _ current: [BenchRecord], metric: String = "tokens_per_second") throws -> ResultComparison {
        var rule = ResultComparison.Rule()
        rule.metric = metric
        rule.threshold = 0.05
        return try ResultComparison(baseline: ResultFixtures.table(base, name: "base.jsonl"),
                                    current: ResultFixtures.table(current, name: "cur.jsonl"), rule: rule)
    }

    static func verdict(_ base: [Double], _ current: [Double]) throws -> ResultComparison.Row {
        let c = try compare([ResultFixtures.record(speeds: base)], [ResultFixtures.record(speeds: current)])
        #expect(c.rows.count == 1)
        return c.rows[0]
    }

    @Test("a gain beyond threshold and noise is an improvement; a drop beyond both is a regression")
    func beyondBoth() throws {
        let up = try Self.verdict([99, 100, 101], [119, 120, 121])
        #expect(up.verdict == .improvement)
        #expect(abs((up.ratio ?? 0) - 1.2) < 1e-12)
        let down = try Self.verdict([99, 100, 101], [79, 80, 81])
        #expect(down.verdict == .regression)
        #expect(abs((down.ratio ?? 0) - 0.8) < 1e-12)
        #expect(down.baselineSpread == 1 && down.currentSpread == 1)
    }

    @Test("a drop beyond the threshold but inside the summed MADs is within noise; a small drop is unchanged")
    func noise() throws {
        // Drop 10 (10% > 5%) but MADs 20 + 20: within noise.
        #expect(try Self.verdict([80, 100, 120], [70, 90, 110]).verdict == .withinNoise)
        // Drop 2 (2% < 5%) with no spread: unchanged.
        #expect(try Self.verdict([100, 100, 100], [98, 98, 98]).verdict == .unchanged)
        // Drop 6% with no spread: a regression (the noise band is 0).
        #expect(try Self.verdict([100, 100, 100], [94, 94, 94]).verdict == .regression)
    }

    @Test("lower-is-better metrics invert the call: a slower run has a higher ms_per_token")
    func lowerIsBetter() throws {
        let c = try Self.compare([ResultFixtures.record(speeds: [100])], [ResultFixtures.record(speeds: [50])], metric: "ms_per_token")
        #expect(c.rows[0].verdict == .regression)
        #expect(c.rows[0].ratio == 2)
        #expect(c.rows[0].note.contains("ms_per_token_mad"))
    }

    @Test("records in only one file are listed on their side, not dropped")
    func missingRows() throws {
        let pp = ResultFixtures.record(speeds: [100])
        let tg = ResultFixtures.record(test: BenchTest(kind: .tg, tokens: 16), speeds: [10])
        let four = ResultFixtures.record(threads: 4, speeds: [150])
        let c = try Self.compare([pp, tg], [pp, four])
        #expect(c.rows.map(\.verdict) == [.unchanged, .onlyInBaseline, .onlyInCurrent])
        #expect(c.rows[1].identity.contains("tg16") && c.rows[1].baseline == 10 && c.rows[1].current == nil)
        #expect(c.rows[1].baselineSpread == 0 && c.rows[1].currentSpread == nil)
        #expect(c.rows[2].identity.contains("4") && c.rows[2].current == 150)
        #expect(!c.hasRegression && c.hasUncompared)
        let md = c.markdown()
        #expect(md.contains("only in baseline") && md.contains("only in current"))
        #expect(md.contains("Summary: 1 unchanged, 1 only in baseline, 1 only in current."))
    }

    @Test("an unavailable metric is reported with its reason, never compared as 0")
    func unavailable() throws {
        let c = try Self.compare([ResultFixtures.record(speeds: [100], vsF16: .known(2))],
                                 [ResultFixtures.record(speeds: [50], vsF16: .unknown("no F16 row in this run"))], metric: "x_f16")
        #expect(c.rows[0].verdict == .unavailable)
        #expect(c.rows[0].baseline == 2 && c.rows[0].current == nil && c.rows[0].ratio == nil)
        #expect(c.rows[0].note == "current: no F16 row in this run")
        #expect(!c.hasRegression)
        #expect(c.markdown().contains("| 2.00 ± n/a | n/a | n/a | unavailable |"))
    }

    @Test("two records of one identity in a file are refused, naming both lines")
    func duplicates() throws {
        let r = ResultFixtures.record(speeds: [100])
        let error = #expect(throws: ResultFileError.self) { _ = try Self.compare([r, r], [r]) }
        #expect(error?.description.contains("base.jsonl:2") == true)
        #expect(error?.description.contains("the first is at base.jsonl:1") == true)
    }

    @Test("the Markdown table shows the ratio and marks the regression")
    func markdown() throws {
        let c = try Self.compare([ResultFixtures.record(speeds: [99, 100, 101])], [ResultFixtures.record(speeds: [79, 80, 81])])
        let md = c.markdown()
        #expect(md.contains("| 700M | i2_s | 2 | 512 | local | pp64 | 100.00 ± 1.00 | 80.00 ± 1.00 | 0.800 | **regression** |"))
        #expect(md.contains("by more than 5% of the baseline"))
    }
}
