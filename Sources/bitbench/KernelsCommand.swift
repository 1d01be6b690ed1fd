import ArgumentParser
import Foundation
import Harness
import Kernels

/// `bitbench kernels`: micro-benchmarks of the weight formats' GEMV/GEMM kernels.
struct KernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Time each weight format's GEMV/GEMM kernels against F16, the scalar reference and memory bandwidth.")

    @Option(name: .short, help: "Formats, comma-separated (\(WeightFormatID.allCases.map(\.rawValue).joined(separator: ", ")), or all).")
    var k: String = "all"

    @Option(name: .long, help: "Matrix shapes MxK (rows x row length), comma-separated.")
    var shape: String = "4096x4096"

    @Option(name: .long, help: "Batch sizes (tokens per product), comma-separated.")
    var batch: String = "1"

    @Option(name: .short, help: "Thread counts, comma-separated.")
    var t: String = "1"

    @Option(name: .short, help: "Timed repetitions per case.")
    var r: Int = 5

    @Flag(name: .long, help: "Stream weights from DRAM: rotate through copies larger than 4x the last-level cache (default).")
    var cold = false

    @Flag(name: .long, help: "Keep one copy of the weights, reused from cache.")
    var hot = false

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: scalar, portable, avx2, avxvnni or avx512vnni (VNNI: I2_S kernels, AVX2 elsewhere; default: the best for this CPU).")
    var kernelPath: String?

    @Option(name: .customLong("scalar-reps"), help: "Repetitions of the scalar reference (0 skips it).")
    var scalarReps: Int = 3

    @Option(name: .customLong("scalar-limit"), help: "Skip the scalar reference when M*K*batch exceeds this.")
    var scalarLimit: Double = 3e9

    @Option(name: .customLong("cold-multiple"), help: "The cold pool holds at least this many times the last-level cache.")
    var coldMultiple: Int = 4

    @Option(name: .short, help: "Output format: md, csv or json.")
    var o: String = "md"

    @Option(name: .customLong("tl2-config"), help: "TL2 tiling per shape from a bitnet.cpp kernel_config.ini (default: bitnet.cpp presets, else a generated valid tiling).")
    var tl2Config: String?

    func run() throws {
        guard !(cold && hot) else { throw ValidationError("--cold and --hot exclude each other") }
        guard let output = KernelBenchReport.Format(rawValue: o) else {
            throw ValidationError("-o: expected md, csv or json, got '\(o)'")
        }
        let path: KernelPath?
        if let kernelPath {
            guard let parsed = KernelPath(rawValue: kernelPath) else {
                throw ValidationError("--kernel-path: expected one of \(KernelPath.allCases.map(\.rawValue).joined(separator: ", ")), got '\(kernelPath)'")
            }
            path = parsed
        } else {
            path = nil
        }
        var config = KernelBenchConfiguration(
            formats: try Self.formats(k), shapes: try Self.list(shape, flag: "--shape", MatrixShape.init(parsing:)),
            batches: try Self.list(batch, flag: "--batch") { Int($0) }, threads: try Self.list(t, flag: "-t") { Int($0) },
            repetitions: r, cold: !hot, path: path, scalarRepetitions: scalarReps, scalarWorkLimit: scalarLimit,
            coldPoolCacheMultiple: coldMultiple)
        if let tl2Config { config.tiles = try TileConfigurationTable(kernelConfigINI: tl2Config, format: .tl2) }
        let runner = KernelBenchRunner(configuration: config) { message in
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        let (records, context) = try runner.run()
        print(try KernelBenchReport.render(records, context: context, as: output), terminator: "")
    }

    static func formats(_ text: String) throws -> [WeightFormatID] {
        if text == "all" { return WeightFormats.all.map(\.id) }
        return try list(text, flag: "-k") { WeightFormatID(rawValue: $0.lowercased()) }
    }

    static func list<T>(_ text: String, flag: String, _ parse: (String) -> T?) throws -> [T] {
        try text.split(separator: ",").map { item in
            let value = item.trimmingCharacters(in: .whitespaces)
            guard let parsed = parse(value) else { throw ValidationError("\(flag): cannot read '\(value)'") }
            return parsed
        }
    }
}
