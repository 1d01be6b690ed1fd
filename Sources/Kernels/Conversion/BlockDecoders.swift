import GGUF

/// Plain decoders of llama.cpp's block formats, one block (or element) at a time, following
/// ggml-quants.c's `dequantize_row_*` arithmetic exactly (FORMATS.md 2.5).
enum BlockDecoders {
    /// Decodes `elements` values of a row of `type` starting at `source`; nil for a type without a decoder here.
    typealias RowDecoder = (_ source: UnsafeRawPointer, _ elements: Int, _ into: UnsafeMutablePointer<Float>) -> Void

    /// The decoder per type (table-driven: one entry per format).
    static let table: [GGMLType: RowDecoder] = [
        .f32: decodeF32, .f16: decodeF16, .bf16: decodeBF16,
        .q8_0: decodeQ8_0, .q4_0: decodeQ4_0, .q4_1: decodeQ4_1, .q6_K: decodeQ6_K,
    ]

    static func decodeF32(_ source: UnsafeRawPointer, _ elements: Int, _ into: UnsafeMutablePointer<Float>) {
        for i in 0..<elements { into[i] = source.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
    }

    static func decodeF16(_ source: UnsafeRawPointer, _ elements: Int, _ into: UnsafeMutablePointer<Float>) {
        for i in 0..<elements { into[i] = Half.toFloat(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
    }

    static func decodeBF16(_ source: UnsafeRawPointer, _ elements: Int, _ into: UnsafeMutablePointer<Float>) {
        for i in 0..<elements {
            into[i] = Half.bfloat16ToFloat(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
    }

    // Q8_0: fp16 d, int8 qs[32]; y = qs·d.
    static func decodeQ8_0(_ source: UnsafeRawPointer, _ elements: Int, _ into: UnsafeMutablePointer<Float>) {
        for block in 0..<elements / 32 {
            let b = source + 34 * block
            let d = Half.toFloat(b.loadUnaligned(as: UInt16.self))
            for j in 0..<32 { into[32 * block + j] = Float(b.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
        }
    }

    // Q4_0: fp16 d, u8 qs[16]; low nibble → element j, high nibble → j+16; y = (q-8)·d.
    static func decodeQ4_0(_ source: UnsafeRawPointer, _ elements: Int, _ into: UnsafeMutablePointer<Float>) {
        for block in 0..<elements / 32 {
            let b = source + 18 * block
            let d = Half.toFloat(b.loadUnaligned(as: UInt16.self))
            let y = into + 32 * block
            for j in 0..<16 {
                let q = b.load(fromByteOffset: 2 + j, as: UInt8.self)
                y[j] = Float(Int(q & 15) - 8) * d
                y[j + 16] = Float(Int(q >> 4) - 8) * d
            }
        }
    }

    // Q4_1: fp16 d, fp16 m, u8 qs[16]; y = q·d + m (multiply, then add: not fused).
    static func decodeQ4_1(_ source: UnsafeRawPointer, _ elements: Int, _ into: UnsafeMutablePointer<Float>) {
        for block in 0..<elements / 32 {
            let b = source + 20 * block
            let d = Half.toFloat(b.loadUnaligned(as: UInt16.self))
            let m = Half.toFloat(b.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            let y = into + 32 * block
            for j in 0..<16 {
                let q = b.load(fromByteOffset: 4 + j, as: UInt8.self)
                let low = Float(q & 15) * d
                let high = Float(q >> 4) * d
                y[j] = low + m
                y[j + 16] = high + m
            }
        }
    }

    // Q6_K: u8 ql[128], u8 qh[64], int8 scales[16], fp16 d (210 bytes per 256); ggml's
    // dequantize_row_q6_K, two 128-element halves, y = (d·scale)·q.
    static func decodeQ6_K(_ source: UnsafeRawPointer, _ elements: Int, _ into: UnsafeMutablePointer<Float>) {
        for block in 0..<elements / 256 {
            let b = source + 210 * block
            let d = Half.toFloat(b.loadUnaligned(fromByteOffset: 208, as: UInt16.self))
            for half in 0..<2 {
                let ql = b + 64 * half
                let qh = b + 128 + 32 * half
                let sc = b + 192 + 8 * half
                let y = into + 256 * block + 128 * half
                for l in 0..<32 {
                    let scaleIndex = l / 16
                    let low0 = ql.load(fromByteOffset: l, as: UInt8.self)
                    let low1 = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                    let high = qh.load(fromByteOffset: l, as: UInt8.self)
                    let q1 = Int(low0 & 15 | ((high >> 0) & 3) << 4) - 32
                    let q2 = Int(low1 & 15 | ((high >> 2) & 3) << 4) - 32
                    let q3 = Int(low0 >> 4 | ((high >> 4) & 3) << 4) - 32
                    let q4 = Int(low1 >> 4 | ((high >> 6) & 3) << 4) - 32
                    let s1 = Float(sc.load(fromByteOffset: scaleIndex, as: Int8.self))
                    let s2 = Float(sc.load(fromByteOffset: scaleIndex + 2, as: Int8.self))
                    let s3 = Float(sc.load(fromByteOffset: scaleIndex + 4, as: Int8.self))
                    let s4 = Float(sc.load(fromByteOffset: scaleIndex + 6, as: Int8.self))
                    y[l] = d * s1 * Float(q1)
                    y[l + 32] = d * s2 * Float(q2)
                    y[l + 64] = d * s3 * Float(q3)
                    y[l + 96] = d * s4 * Float(q4)
                }
            }
        }
    }
}
