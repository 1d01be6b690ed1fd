import Foundation
import Synthetic
import Testing

/// The counter-based generator: values depend only on (seed, name, index); the ternary mix is
/// the absmean-ternarised Gaussian's.
@Suite struct CounterRandomTests {
    @Test func sameSeedNameIndexGiveSameWordAndAnyChangeDiffers() {
        let a = CounterRandom(seed: 7, name: "blk.0.attn_q.weight")
        let b = CounterRandom(seed: 7, name: "blk.0.attn_q.weight")
        #expect((0..<1000).allSatisfy { a.word($0) == b.word($0) })
        let otherName = CounterRandom(seed: 7, name: "blk.1.attn_q.weight")
        let otherSeed = CounterRandom(seed: 8, name: "blk.0.attn_q.weight")
        #expect((0..<1000).filter { a.word($0) == otherName.word($0) }.count == 0)
        #expect((0..<1000).filter { a.word($0) == otherSeed.word($0) }.count == 0)
        #expect(Set((0..<1000).map { a.word($0) }).count == 1000)
    }

    @Test func fnv1aMatchesPublishedTestVectors() {
        // FNV-1a 64 test vectors (Fowler/Noll/Vo reference): "" and "a".
        #expect(CounterRandom.fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(CounterRandom.fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
    }

    @Test func anySliceEqualsTheSameElementsOfTheWhole() {
        let stream = CounterRandom(seed: 3, name: "t")
        let d = TernaryDistribution.absmeanGaussian
        var whole = [Int8](repeating: 9, count: 5000)
        whole.withUnsafeMutableBufferPointer { d.fill(stream, elements: 0..<5000, into: $0.baseAddress!) }
        for range in [1001..<2003, 3..<4, 4997..<5000, 0..<1, 1234..<1239] {
            var part = [Int8](repeating: 9, count: range.count)
            part.withUnsafeMutableBufferPointer { d.fill(stream, elements: range, into: $0.baseAddress!) }
            #expect(part == Array(whole[range]), "slice \(range)")
        }
        #expect(whole.allSatisfy { $0 >= -1 && $0 <= 1 })
    }

    @Test func ternaryMixIsAbsmeanGaussian() {
        // erf(1/(2·sqrt(pi))) = P(|Z| < sqrt(2/pi)/2) = 0.31009...
        let d = TernaryDistribution.absmeanGaussian
        #expect(abs(d.zeroFraction - 0.3101) < 0.0002)
        let n = 1 << 20
        var trits = [Int8](repeating: 0, count: n)
        trits.withUnsafeMutableBufferPointer { d.fill(CounterRandom(seed: 1, name: "x"), elements: 0..<n, into: $0.baseAddress!) }
        let zeros = Double(trits.filter { $0 == 0 }.count) / Double(n)
        let plus = Double(trits.filter { $0 == 1 }.count) / Double(n)
        let minus = Double(trits.filter { $0 == -1 }.count) / Double(n)
        // Binomial standard deviation at n = 2^20 is below 0.0005: 0.003 is six of them.
        #expect(abs(zeros - d.zeroFraction) < 0.003)
        #expect(abs(plus - minus) < 0.003)
    }

    @Test func customZeroFractionAndItsLimits() throws {
        let half = try TernaryDistribution(zeroFraction: 0.5)
        #expect(half.zeroFraction == 0.5)
        let none = try TernaryDistribution(zeroFraction: 0)
        #expect((0..<65536).allSatisfy { none.trit(UInt32($0)) != 0 })
        let all = try TernaryDistribution(zeroFraction: 1)
        #expect((0..<65536).allSatisfy { all.trit(UInt32($0)) == 0 })
        #expect(throws: SyntheticError.self) { try TernaryDistribution(zeroFraction: 1.5) }
        #expect(throws: SyntheticError.self) { try TernaryDistribution(zeroFraction: .nan) }
    }

    @Test func gaussianHasUnitVarianceAndScaleIsAbsmean() {
        let stream = CounterRandom(seed: 5, name: "g")
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0, sumAbs = 0.0
        for i in 0..<n {
            let x = Double(stream.gaussian(UInt64(i)))
            sum += x; sumSquares += x * x; sumAbs += abs(x)
        }
        let mean = sum / Double(n)
        #expect(abs(mean) < 0.01)
        #expect(abs(sumSquares / Double(n) - 1) < 0.02)
        // mean|Z| = sqrt(2/pi): the per-tensor scale of N(0, 1/K) weights is that over sqrt(K).
        #expect(abs(sumAbs / Double(n) - (2 / Double.pi).squareRoot()) < 0.01)
        #expect(abs(Double(TernaryDistribution.scale(columns: 768)) - (2 / Double.pi).squareRoot() / 768.0.squareRoot()) < 1e-7)
    }
}
