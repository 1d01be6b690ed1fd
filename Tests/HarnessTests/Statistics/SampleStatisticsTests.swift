import Harness
import Testing

@Suite("SampleStatistics")
struct SampleStatisticsTests {
    @Test("median, mean, n-1 standard deviation, cv, extremes and percentiles")
    func summary() throws {
        let s = try #require(SampleStatistics([4, 1, 3, 2, 10]))
        #expect(s.count == 5)
        #expect(s.median == 3)
        #expect(s.mean == 4)
        // Σ(x-4)² = 0+9+1+4+36 = 50; /(5-1) = 12.5.
        #expect(abs(s.standardDeviation - 12.5.squareRoot()) < 1e-12)
        #expect(abs(s.coefficientOfVariation! - 12.5.squareRoot() / 4) < 1e-12)
        #expect(s.min == 1 && s.max == 10)
        #expect(s.percentile(0) == 1 && s.percentile(100) == 10)
        #expect(s.percentile(25) == 2 && s.percentile(75) == 4)
        #expect(abs(s.percentile(90) - 7.6) < 1e-12)  // numpy: np.percentile([1,2,3,4,10], 90) = 7.6
    }

    @Test("even counts average the middle pair; one sample has sd 0; empty has no statistics")
    func edges() throws {
        #expect(SampleStatistics([5, 1, 3, 9])?.median == 4)
        let one = try #require(SampleStatistics([7]))
        #expect(one.standardDeviation == 0 && one.median == 7 && one.percentile(33) == 7)
        #expect(SampleStatistics([]) == nil)
        #expect(SampleStatistics([0, 0])?.coefficientOfVariation == nil)
    }
}
