/// Bulk conversion between IEEE binary16 bits and Float, round-to-nearest-even like F16C
/// (ggml's GGML_FP32_TO_FP16), used for the KV cache and the F16 rounding points of attention.
enum HalfConversion {
    /// dst[i] = Float(src[i]) for i in 0..<count.
    @inline(__always)
    static func widen(_ source: UnsafePointer<UInt16>, _ destination: UnsafeMutablePointer<Float>, count: Int) {
        source.withMemoryRebound(to: Float16.self, capacity: count) { half in
            for i in 0..<count { destination[i] = Float(half[i]) }
        }
    }

    /// dst[i] = binary16 bits of src[i], rounded to nearest even.
    @inline(__always)
    static func narrow(_ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<UInt16>, count: Int) {
        destination.withMemoryRebound(to: Float16.self, capacity: count) { half in
            for i in 0..<count { half[i] = Float16(source[i]) }
        }
    }

    /// x[i] = Float(Float16(x[i])): the value ggml would read back after storing x as F16.
    @inline(__always)
    static func roundInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { values[i] = Float(Float16(values[i])) }
    }
}
