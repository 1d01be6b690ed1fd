import Kernels

/// The row-length rules of each weight type (FORMATS.md 1.4, 2.1-2.4), used to reject a shape
/// with a clear reason before the format itself is asked (and when it is not registered).
enum SyntheticShapeRules {
    /// Why `type` cannot hold an M x K matrix, or nil when it can.
    static func problem(type: WeightFormatID, rows m: Int, columns k: Int) -> String? {
        switch type {
        case .f32, .f16:
            return nil
        case .q8_0, .q4_0, .q4_1:
            return k % 32 == 0 ? nil : "K must be a multiple of 32 (blocks of 32)"
        case .tq1_0, .tq2_0:
            return k % 256 == 0 ? nil : "K must be a multiple of 256 (QK_K blocks)"
        case .i2_s:
            if k % 32 != 0 { return "K must be a multiple of 32 (rows start on a 32-weight group of the flat 128-weight blocks)" }
            return (m * k) % 128 == 0 ? nil : "M*K must be a multiple of 128 (the flat tensor is cut into 128-weight blocks)"
        case .tl2:
            if k < 256 { return "K must be at least 256 (the size formula assumes a 256-column tail)" }
            if k % 32 != 0 { return "K must be a multiple of 32" }
            return m % 32 == 0 ? nil : "M must be a multiple of 32"
        case .tl1:
            if k % 64 != 0 { return "K must be a multiple of 64" }
            return m % 32 == 0 ? nil : "M must be a multiple of 32"
        }
    }
}
