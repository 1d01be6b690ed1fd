/// llama.cpp's Q8_K activations (TQ1_0/TQ2_0), as `quantize_row_q8_K_ref` (FORMATS.md 2.4): one f32
/// scale per 256-element block, taken from the element of largest magnitude with its sign.
public enum Q8KActivations {
    /// Elements per block (QK_K).
    public static let blockSize = 256

    /// Quantizes one token of `x.count` (a multiple of 256) values: per block, `max` = the first
    /// element of largest |x|, `iscale = -127/max`, `q = min(127, round_half_even(iscale*x))`,
    /// `d = 1/iscale` (d = 0 and q = 0 for an all-zero block). Writes d and Σq per block.
    public static func quantize(_ x: UnsafeBufferPointer<Float>, into q: UnsafeMutablePointer<Int8>,
                                scales: UnsafeMutablePointer<Float>, blockSums: UnsafeMutablePointer<Int32>) {
        precondition(x.count % blockSize == 0, "Q8_K needs a multiple of 256 values")
        for block in 0..<(x.count / blockSize) {
            let start = block * blockSize
            var amax: Float = 0, maximum: Float = 0
            for j in start..<(start + blockSize) {
                let a = abs(x[j])
                if a > amax { amax = a; maximum = x[j] }
            }
            if amax == 0 {
                scales[block] = 0
                blockSums[block] = 0
                (q + start).initialize(repeating: 0, count: blockSize)
                continue
            }
            let iscale: Float = -127 / maximum
            var sum: Int32 = 0
            for j in start..<(start + blockSize) {
                let v = min(Int8PerTokenActivations.nearestInt(iscale * x[j]), 127)
                let stored = Int8(truncatingIfNeeded: max(v, -128))
                q[j] = stored
                sum &+= Int32(stored)
            }
            scales[block] = 1 / iscale
            blockSums[block] = sum
        }
    }
}
