/// llama.cpp's reference quantizers for Q8_0 and Q8_1 blocks of 32 (quantize_row_q8_0_ref,
/// quantize_row_q8_1_ref), in plain Swift: the ground truth for the C encoders, and the Q8_0
/// weight quantizer too (weights and activations share the algorithm).
///
/// Q8_0 block: fp16 d, int8 qs[32] (34 bytes). Q8_1 block: fp16 d, fp16 s, int8 qs[32] (36 bytes).
/// d = amax/127, qs = roundf(x · (1/d)) (half away from zero), s = fp16((float)Σqs · d).
public enum Q8BlockQuantizer {
    /// Bytes per Q8_0 block.
    public static let q8_0BlockBytes = 34
    /// Bytes per Q8_1 block.
    public static let q8_1BlockBytes = 36

    /// Quantizes `count` floats (a multiple of 32) into Q8_0 blocks.
    public static func quantizeQ8_0(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutableRawPointer) {
        for block in 0..<count / 32 {
            let b = out + block * q8_0BlockBytes
            let (d, _) = quantizeBlock(x + 32 * block, codes: (b + 2).assumingMemoryBound(to: Int8.self))
            b.storeBytes(of: Half.fromFloat(d), as: UInt16.self)
        }
    }

    /// Quantizes `count` floats (a multiple of 32) into Q8_1 blocks.
    public static func quantizeQ8_1(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutableRawPointer) {
        for block in 0..<count / 32 {
            let b = out + block * q8_1BlockBytes
            let (d, sum) = quantizeBlock(x + 32 * block, codes: (b + 4).assumingMemoryBound(to: Int8.self))
            b.storeBytes(of: Half.fromFloat(d), as: UInt16.self)
            b.storeBytes(of: Half.fromFloat(Float(sum) * d), toByteOffset: 2, as: UInt16.self)
        }
    }

    /// One block: returns the fp32 scale and the sum of the codes.
    @inline(__always)
    private static func quantizeBlock(_ x: UnsafePointer<Float>, codes: UnsafeMutablePointer<Int8>) -> (Float, Int) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        var sum = 0
        for j in 0..<32 {
            // |x·id| ≤ 127 up to rounding, so the code always fits; non-finite input was refused earlier.
            let q = Int8((x[j] * id).rounded(.toNearestOrAwayFromZero))
            codes[j] = q
            sum += Int(q)
        }
        return (d, sum)
    }
}
