import TestSupport

/// Kernel-test data drawn from the shared SplitMix64 sequence.
extension SplitMix64 {
    /// A float uniform in [-1, 1).
    mutating func nextSigned() -> Float { Float(Int64(bitPattern: next()) >> 40) * 0x1p-23 }
    /// `count` floats: uniform in [-scale, scale), with occasional outliers (×8) as real weights have.
    mutating func floats(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in
            let v = nextSigned() * scale
            return next() % 61 == 0 ? v * 8 : v
        }
    }
}
