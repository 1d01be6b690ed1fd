import Harness
import Testing

@Suite("Sweep lists")
struct SweepListTests {
    @Test("comma lists and llama-bench ranges expand in the order written")
    func ranges() throws {
        #expect(try SweepList.integers("1,2,4", flag: "-t") == [1, 2, 4])
        #expect(try SweepList.integers("1-4", flag: "-t") == [1, 2, 3, 4])
        #expect(try SweepList.integers("1-9+4", flag: "-t") == [1, 5, 9])
        #expect(try SweepList.integers("128-1024*2", flag: "-p") == [128, 256, 512, 1024])
        #expect(try SweepList.integers("64, 8-8, 0", flag: "-p") == [64, 8, 0])
        #expect(try SweepList.strings("i2_s, tl2,f16", flag: "-k") == ["i2_s", "tl2", "f16"])
    }

    @Test("bad lists name the flag and the text", arguments: ["", "1,,2", "x", "4-1", "1-8*1", "0-8*2", "1-8+0", "-3", "1-"])
    func refusals(_ text: String) {
        do {
            _ = try SweepList.integers(text, flag: "-t", minimum: 1)
            Issue.record("'\(text)' was accepted")
        } catch let error as BenchFlagError {
            #expect(error.flag == "-t")
            #expect(error.description.hasPrefix("-t '\(text)': expected"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a range too long to be meant is refused")
    func huge() {
        #expect(throws: BenchFlagError.self) { try SweepList.integers("1-1000000", flag: "-p") }
    }

    @Test("values below the minimum are refused")
    func minimum() {
        #expect(throws: BenchFlagError.self) { try SweepList.integers("0,1", flag: "-t", minimum: 1) }
    }
}
