import Foundation
import GGUF
import Kernels
import TestSupport

/// A minimal test-only GGUF tensor locator for the bitnet-tiny fixtures: it walks the header,
/// skips the metadata and returns each tensor's type, shape and bytes (FORMATS.md section 1).
struct TernaryFixtureFile {
    struct Tensor {
        var name: String
        var shape: [Int]
        var type: UInt32
        var bytes: Data
    }

    let tensors: [String: Tensor]
    let order: [String]

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        var cursor = 0
        func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard cursor + MemoryLayout<T>.size <= data.count else { throw FixtureError("\(path): truncated at \(cursor)") }
            let value = data.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: cursor, as: T.self)) }
            cursor += MemoryLayout<T>.size
            return value
        }
        func readString() throws -> String {
            let length = Int(try read(UInt64.self))
            guard length < 1 << 24, cursor + length <= data.count else { throw FixtureError("\(path): bad string at \(cursor)") }
            defer { cursor += length }
            return String(decoding: data[cursor..<(cursor + length)], as: UTF8.self)
        }
        func skipValue(_ type: UInt32) throws {
            let sizes: [UInt32: Int] = [0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8]
            switch type {
            case 8: _ = try readString()
            case 9:
                let element = try read(UInt32.self)
                let count = try read(UInt64.self)
                for _ in 0..<count { try skipValue(element) }
            default:
                guard let size = sizes[type] else { throw FixtureError("\(path): unknown value type \(type)") }
                cursor += size
            }
        }
        guard try read(UInt32.self) == 0x4655_4747 else { throw FixtureError("\(path): not GGUF") }
        _ = try read(UInt32.self)
        let tensorCount = Int(try read(UInt64.self))
        let keyCount = Int(try read(UInt64.self))
        for _ in 0..<keyCount {
            _ = try readString()
            try skipValue(try read(UInt32.self))
        }
        var infos: [(String, [Int], UInt32, Int)] = []
        for _ in 0..<tensorCount {
            let name = try readString()
            let dimensions = Int(try read(UInt32.self))
            var shape: [Int] = []
            for _ in 0..<dimensions { shape.append(Int(try read(UInt64.self))) }
            let type = try read(UInt32.self)
            let offset = Int(try read(UInt64.self))
            infos.append((name, shape, type, offset))
        }
        let dataStart = (cursor + 31) / 32 * 32
        var tensors: [String: Tensor] = [:]
        for (name, shape, type, offset) in infos {
            guard let ggml = GGMLType(rawValue: type), let size = ggml.byteCount(shape: shape),
                  dataStart + offset + size <= data.count else {
                throw FixtureError("\(path): tensor \(name) of type \(type) does not fit")
            }
            let start = dataStart + offset
            tensors[name] = Tensor(name: name, shape: shape, type: type, bytes: data.subdata(in: start..<(start + size)))
        }
        self.tensors = tensors
        self.order = infos.map { $0.0 }
    }

    /// The 2-D linear weights (every tensor that is neither the embedding nor a norm).
    var linearWeightNames: [String] {
        order.filter { name in
            guard let t = tensors[name] else { return false }
            return t.shape.count == 2 && name != "token_embd.weight"
        }
    }

    /// The bitnet-tiny file of one format.
    static func fixture(_ format: String) throws -> TernaryFixtureFile {
        try TernaryFixtureFile(path: Fixtures.shared("bitnet-tiny/bitnet-tiny.\(format).gguf").path)
    }

    /// The F32 source, decompressed once per test process into a temporary directory.
    static let f32: Result<TernaryFixtureFile, Error> = Result {
        let source = Fixtures.shared("bitnet-tiny/bitnet-tiny.f32.gguf.xz")
        let directory = try Fixtures.temporaryDirectory("bitbench-ternary")
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
        defer { try? FileManager.default.removeItem(at: directory) }
        return try TernaryFixtureFile(path: target.path)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Deterministic random numbers for kernel tests (SplitMix64).
struct TernaryRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
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

/// The kernel paths this machine can run.
var availableTernaryPaths: [KernelPath] {
    #if arch(x86_64)
    return [.scalar, .portable, .avx2]
    #else
    return [.scalar, .portable]
    #endif
}
