import Kernels
import TestSupport

/// A random weight matrix packed in one format, with its dequantized values, for kernel tests.
struct TestMatrix {
    let format: any WeightFormat
    let rows: Int
    let columns: Int
    let blob: [UInt8]
    /// The weights as the format stores them (dequantized), row-major.
    let dequantized: [Float]

    init(format: any WeightFormat, rows: Int, columns: Int, seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        try self.init(format: format, rows: rows, columns: columns, weights: generator.floats(rows * columns, scale: 0.5))
    }

    init(format: any WeightFormat, rows: Int, columns: Int, weights: [Float]) throws {
        self.format = format
        self.rows = rows
        self.columns = columns
        var blob = [UInt8](repeating: 0, count: format.byteCount(rows: rows, columns: columns, parameters: .none))
        try weights.withUnsafeBufferPointer { w in
            try blob.withUnsafeMutableBytes { b in
                try format.quantize(w, rows: rows, columns: columns, parameters: .none, into: b)
            }
        }
        var dequantized = [Float](repeating: 0, count: rows * columns)
        try blob.withUnsafeBytes { b in
            try dequantized.withUnsafeMutableBufferPointer { d in
                try format.dequantize(b, rows: rows, columns: columns, parameters: .none, into: d)
            }
        }
        self.blob = blob
        self.dequantized = dequantized
    }

    /// The scalar reference product.
    func reference(_ activations: [Float], batch: Int) throws -> [Float] {
        var output = [Float](repeating: .nan, count: batch * rows)
        try blob.withUnsafeBytes { b in
            try activations.withUnsafeBufferPointer { x in
                try output.withUnsafeMutableBufferPointer { y in
                    try format.referenceMultiply(b, rows: rows, columns: columns, parameters: .none,
                                                 activations: x, batch: batch, into: y)
                }
            }
        }
        return output
    }

    /// The prepared product on `path` with `threads` workers; `guardFloats` sentinel floats on each
    /// side of the output must survive (returned separately so a test can check them).
    func prepared(_ activations: [Float], batch: Int, path: KernelPath, pool: WorkerPool,
                  guardFloats: Int = 16) throws -> (output: [Float], guardsIntact: Bool) {
        let sentinel = Float(bitPattern: 0x7fc0_dead)
        var buffer = [Float](repeating: sentinel, count: batch * rows + 2 * guardFloats)
        try blob.withUnsafeBytes { b in
            let prepared = try format.prepare(b, rows: rows, columns: columns, parameters: .none, path: path)
            activations.withUnsafeBufferPointer { x in
                buffer.withUnsafeMutableBufferPointer { y in
                    prepared.multiply(x.baseAddress!, batch: batch, into: y.baseAddress! + guardFloats, pool: pool)
                }
            }
        }
        let guards = buffer[..<guardFloats] + buffer[(buffer.count - guardFloats)...]
        let intact = guards.allSatisfy { $0.bitPattern == sentinel.bitPattern }
        return (Array(buffer[guardFloats..<(guardFloats + batch * rows)]), intact)
    }

    /// Σ_k |w_k| · |x_k| per output: the scale the relative error bound is taken against.
    func magnitude(_ activations: [Float], batch: Int) -> [Float] {
        var out = [Float](repeating: 0, count: batch * rows)
        for b in 0..<batch {
            for m in 0..<rows {
                var s: Float = 0
                for k in 0..<columns { s += abs(dequantized[m * columns + k]) * abs(activations[b * columns + k]) }
                out[b * rows + m] = s
            }
        }
        return out
    }
}

/// The paths this machine can run besides the scalar reference.
var fastPaths: [KernelPath] {
    CPUFeatures.current.supportsAVX2Kernels ? [.portable, .avx2] : [.portable]
}
