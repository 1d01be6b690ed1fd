import Foundation
import GGUF
import TestSupport

/// Small helpers shared by the GGUF tests.
enum TestFiles {
    /// Reads a whole file into memory.
    static func read(_ url: URL) throws -> [UInt8] {
        Array(try Data(contentsOf: url))
    }

    /// Writes a GGUF with our writer: `tensors` as (name, shape, type, bytes), each fed in
    /// pieces of `pieceSize` bytes.
    static func write(to url: URL, alignment: Int = 32, metadata: [(String, GGUFValue)],
                      tensors: [(String, [Int], GGMLType, [UInt8])], pieceSize: Int = 1 << 20) throws {
        let writer = try GGUFWriter(path: url.path, alignment: alignment)
        for (key, value) in metadata { writer.setMetadata(key, value) }
        for (name, shape, type, data) in tensors {
            try writer.addTensor(name: name, shape: shape, type: type, byteCount: data.count)
        }
        try writer.writeHeader()
        var stream: [UInt8] = []
        for (_, _, _, data) in tensors { stream += data }
        try stream.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + pieceSize)
                try writer.writeTensorData(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
        try writer.finish()
    }

    /// Deterministic pseudo-random bytes (SplitMix64), so test data is reproducible.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// Lowercase hex of a byte sequence.
    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef")
        var s = ""
        for b in bytes {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 15)])
        }
        return s
    }

    /// Runs a Python script stored under Tests/Fixtures/GGUF with arguments; returns stdout.
    static func runPythonFixture(_ name: String, _ arguments: [String]) throws -> String {
        let url = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/GGUF/\(name)")
        let script = try String(contentsOf: url, encoding: .utf8)
        return try Fixtures.runPython(script, arguments: arguments)
    }
}
