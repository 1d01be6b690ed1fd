import Foundation
import Harness
import Kernels
import TestSupport
import Testing

@Suite("Kernel benchmark")
struct KernelBenchTests {
    @Test("MxK shapes parse; malformed ones are refused")
    func shapes() {
        #expect(MatrixShape(parsing: "4096x11008") == MatrixShape(rows: 4096, columns: 11008))
        #expect(MatrixShape(parsing: "12X7") == MatrixShape(rows: 12, columns: 7))
        for bad in ["4096", "x5", "5x", "0x5", "-1x5", "4x5x6", "ax5"] { #expect(MatrixShape(parsing: bad) == nil, "\(bad)") }
    }

    @Test("the last-level cache and available memory are read from sysfs / meminfo files")
    func machineMemory() throws {
        let root = try Fixtures.temporaryDirectory("bitbench-sysfs")
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = root.appendingPathComponent("devices/system/cpu/cpu0/cache")
        for (index, level, type, size) in [(0, "1", "Data", "48K"), (1, "1", "Instruction", "32K"),
                                           (2, "2", "Unified", "2048K"), (3, "3", "Unified", "266240K")] {
            let dir = cache.appendingPathComponent("index\(index)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try level.write(to: dir.appendingPathComponent("level"), atomically: true, encoding: .utf8)
            try type.write(to: dir.appendingPathComponent("type"), atomically: true, encoding: .utf8)
            try (size + "\n").write(to: dir.appendingPathComponent("size"), atomically: true, encoding: .utf8)
        }
        #expect(try MachineMemory.lastLevelCacheBytes(sysfsRoot: root.path).get() == 266240 * 1024)
        #expect((try? MachineMemory.lastLevelCacheBytes(sysfsRoot: root.path + "/missing").get()) == nil)
        let meminfo = root.appendingPathComponent("meminfo")
        try "MemTotal: 100 kB\nMemAvailable:    2048 kB\n".write(to: meminfo, atomically: true, encoding: .utf8)
        #expect(try MachineMemory.availableBytes(meminfoPath: meminfo.path).get() == 2048 * 1024)
    }

    @Test("invalid configurations name the flag; unregistered formats name the registered ones")
    func validation() {
        let good = KernelBenchConfiguration(formats: [.f16], shapes: [MatrixShape(rows: 64, columns: 64)],
                                            batches: [1], threads: [1], repetitions: 2, cold: false)
        #expect((try? good.validate()) != nil)
        var bad = good
        bad.batches = [0]
        #expect(throws: KernelBenchError.invalid(flag: "--batch", reason: "each batch size must be 1...4096")) { try bad.validate() }
        bad = good
        bad.threads = []
        #expect(throws: KernelBenchError.self) { try bad.validate() }
        if let missing = WeightFormatID.allCases.first(where: { id in !WeightFormats.all.contains { $0.id == id } }) {
            bad = good
            bad.formats = [missing]
            do {
                try bad.validate()
                Issue.record("\(missing.rawValue) is not registered and must be refused")
            } catch {
                #expect("\(error)".contains("not registered") && "\(error)".contains("f16"))
            }
        }
    }

    @Test("a small hot run measures every format and emits valid JSON with the documented keys")
    func smallRun() throws {
        let config = KernelBenchConfiguration(
            formats: WeightFormats.all.map(\.id), shapes: [MatrixShape(rows: 64, columns: 256)], batches: [1, 4],
            threads: [1, 2], repetitions: 2, cold: false, scalarRepetitions: 1, coldPoolCacheMultiple: 1)
        let runner = KernelBenchRunner(configuration: config) { _ in }
        let (records, context) = try runner.run()
        // The runner gives TL1/TL2 a generated tiling for shapes bitnet.cpp has no preset for.
        let measurable = WeightFormats.all.filter { format in
            guard let parameters = try? config.tiles.parameters(for: format.id, rows: 64, columns: 256, generateMissing: true)
            else { return false }
            return (try? format.checkShape(rows: 64, columns: 256, parameters: parameters)) != nil
        }
        #expect(records.count == measurable.count * 4)
        let json = try KernelBenchReport.render(records, context: context, as: .json)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.count == records.count)
        for object in parsed {
            for key in ["format", "m", "k", "batch", "threads", "cold", "median_ns", "weight_gbps", "gops",
                        "bandwidth_gbps", "sd_ns", "vs_f16", "vs_scalar", "path"] {
                #expect(object[key] != nil, "missing \(key)")
            }
            #expect(object["cold"] as? Bool == false)
            #expect((object["median_ns"] as? Double ?? 0) > 0)
            #expect(object["vs_f16"] is Double)
        }
        let csv = try KernelBenchReport.render(records, context: context, as: .csv)
        #expect(csv.split(separator: "\n").count == records.count + 1)
        let md = try KernelBenchReport.render(records, context: context, as: .md)
        #expect(md.contains("| f16 | 64x256 | 4 | 2 |"))
    }
}
