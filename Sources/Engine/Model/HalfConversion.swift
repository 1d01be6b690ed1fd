import Kernels

/// Bulk conversion between IEEE binary16 bits and Float, round-to-nearest-even like F16C
/// (ggml's GGML_FP32_TO_FP16), for the KV cache and the F16 rounding points of attention.
enum HalfConversion {
    /// dst[i] = the float value of half bits src[i], for i in 0..<count.
    @inline(__always)
    static func widen(_ source: UnsafePointer<UInt16>, _ destination: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { destination[i] = Half.toFloat(source[i]) }
    }

    /// dst[i] = half bits of src[i], rounded to nearest even.
    @inline(__always)
    static func narrow(_ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<UInt16>, count: Int) {
        for i in 0..<count { destination[i] = Half.fromFloat(source[i]) }
    }
}
