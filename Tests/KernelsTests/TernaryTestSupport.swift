import Foundation
import GGUF
import Kernels
import TestSupport

/// A bitnet-tiny fixture opened with the GGUF reader, its tensors by name.
struct TernaryFixtureFile {
    struct Tensor {
        var name: String
        var shape: [Int]
        var type: GGMLType
        var bytes: Data
    }

    let file: GGUFFile
    let tensors: [String: Tensor]

    init(path: String) throws {
        file = try GGUFFile(path: path)
        var tensors: [String: Tensor] = [:]
        for info in file.tensorInfos {
            guard let data = file.tensorData(info.name) else { throw FixtureError("\(path): no data for \(info.name)") }
            tensors[info.name] = Tensor(name: info.name, shape: info.shape, type: info.type, bytes: Data(data))
        }
        self.tensors = tensors
    }

    /// The 2-D linear weights (every 2-D tensor but the embedding), in file order.
    var linearWeightNames: [String] {
        file.tensorInfos.filter { $0.shape.count == 2 && $0.name != "token_embd.weight" }.map(\.name)
    }

    /// The bitnet-tiny file of one format.
    static func fixture(_ format: String) throws -> TernaryFixtureFile {
        try TernaryFixtureFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.\(format).gguf").path)
    }

    /// The F32 source, decompressed once per test process into a temporary directory.
    static let f32: Result<TernaryFixtureFile, Error> = Result {
        let source = Fixtures.shared("bitnet-tiny/bitnet-tiny.f32.gguf.xz")
        let directory = try Fixtures.temporaryDirectory("bitbench-ternary")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("bitnet-tiny.f32.gguf")
        _ = FileManager.default.createFile(atPath: target.path, contents: nil)
        let output = try FileHandle(forWritingTo: target)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xz", "-dc", source.path]
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        try output.close()
        guard process.terminationStatus == 0 else { throw FixtureError("xz -dc \(source.path) exited \(process.terminationStatus)") }
        return try TernaryFixtureFile(path: target.path)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Deterministic random numbers for kernel tests (SplitMix64).
struct TernaryRandom {
    var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }
    /// Roughly normal (sum of uniforms), with occasional outliers like real activations.
    mutating func activation() -> Float {
        var s: Float = 0
        for _ in 0..<4 { s += uniform() }
        let v = (s - 2) * 1.7
        return next() % 97 == 0 ? v * 9 : v
    }
    mutating func trit(zeroFraction: Double = 0.31) -> Int8 {
        let u = Double(next() >> 11) / Double(1 << 53)
        if u < zeroFraction { return 0 }
        return next() & 1 == 0 ? 1 : -1
    }
    mutating func trits(_ count: Int) -> [Int8] { (0..<count).map { _ in trit() } }
    mutating func activations(_ count: Int) -> [Float] { (0..<count).map { _ in activation() } }
}

/// Packs trits into a fresh blob of a ternary format.
func packedBlob(_ format: any TernaryWeightFormat, trits: [Int8], rows: Int, columns: Int, scale: Float,
                parameters: FormatParameters) throws -> [UInt8] {
    var blob = [UInt8](repeating: 0xA5, count: format.byteCount(rows: rows, columns: columns, parameters: parameters))
    try trits.withUnsafeBufferPointer { t in
        try blob.withUnsafeMutableBytes { b in
            try format.packTernary(t, rowRange: 0..<rows, rows: rows, columns: columns, scale: scale,
                                   parameters: parameters, into: b)
        }
    }
    return blob
}

/// True when both arrays hold the same floats bit for bit.
func bitwiseEqual(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// The kernel paths this machine can run (the VNNI ones only where the CPU has them).
var availableTernaryPaths: [KernelPath] {
    #if arch(x86_64)
    return KernelPath.allCases.filter { CPUFeatures.current.missing($0.requiredFeatures).isEmpty }
    #else
    return [.scalar, .portable]
    #endif
}
