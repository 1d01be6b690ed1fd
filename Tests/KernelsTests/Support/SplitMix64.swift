/// A small deterministic generator for test data (Steele et al.'s SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
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
