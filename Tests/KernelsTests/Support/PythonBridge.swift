import Foundation
import TestSupport

/// Runs a python3 script over binary data through temporary files (arguments are too small for
/// tensors): the script reads `sys.argv[1]` and writes its answer to `sys.argv[2]`.
enum PythonBridge {
    static func run(_ script: String, input: Data) throws -> Data {
        let dir = try Fixtures.temporaryDirectory("bitbench-kernels-python")
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in.bin"), outURL = dir.appendingPathComponent("out.bin")
        try input.write(to: inURL)
        try Fixtures.runPython(script, arguments: [inURL.path, outURL.path])
        return try Data(contentsOf: outURL)
    }

    static func run<T>(_ script: String, floats: [T]) throws -> Data {
        try run(script, input: floats.withUnsafeBufferPointer { Data(buffer: $0) })
    }
}
