import CKernels

/// Encodes float activations the way a baseline format's kernels consume them (F32 as is, F16
/// rounded to half, Q8_0 or Q8_1 blocks), per token, on a chosen kernel path. The scalar path uses
/// the Swift reference encoders; the others the C encoders, which produce the same bytes.
struct ActivationCodec: Sendable {
    let encoding: ActivationEncoding

    /// Bytes one encoded token of `columns` activations takes.
    func bytesPerToken(columns: Int) -> Int {
        switch encoding {
        case .q8_0: return columns / 32 * Q8BlockQuantizer.q8_0BlockBytes
        case .q8_1: return columns / 32 * Q8BlockQuantizer.q8_1BlockBytes
        default: return columns * MemoryLayout<Float>.stride
        }
    }

    /// Float arrays per token the AVX2 kernels want beside the blocks: the scales d (Q8_0), and
    /// the sums s (Q8_1).
    var scaleArrayCount: Int {
        switch encoding {
        case .q8_0: return 1
        case .q8_1: return 2
        default: return 0
        }
    }

    /// True when the kernels read the caller's floats directly (no copy).
    var passesThrough: Bool { encoding == .f32 }

    /// Encodes one token.
    func encode(_ x: UnsafePointer<Float>, columns: Int, into out: UnsafeMutableRawPointer, path: KernelPath) {
        let floats = out.assumingMemoryBound(to: Float.self)
        switch (encoding, path) {
        case (.f32, _):
            floats.update(from: x, count: columns)
        case (.f16, .scalar):
            for i in 0..<columns { floats[i] = Half.round(x[i]) }
        case (.f16, .portable):
            bb_round_to_half_portable(x, columns, floats)
        case (.f16, .avx2):
            bb_round_to_half_avx2(x, columns, floats)
        case (.q8_0, .scalar):
            Q8BlockQuantizer.quantizeQ8_0(x, count: columns, into: out)
        case (.q8_0, .portable):
            bb_quantize_q8_0_portable(x, columns, out)
        case (.q8_0, .avx2):
            bb_quantize_q8_0_avx2(x, columns, out)
        case (.q8_1, .scalar):
            Q8BlockQuantizer.quantizeQ8_1(x, count: columns, into: out)
        case (.q8_1, .portable):
            bb_quantize_q8_1_portable(x, columns, out)
        case (.q8_1, .avx2):
            bb_quantize_q8_1_avx2(x, columns, out)
        default:
            preconditionFailure("ActivationCodec: \(encoding.rawValue) belongs to another format family")
        }
    }
}
