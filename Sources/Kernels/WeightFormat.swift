import GGUF

/// The weight formats BitBench can store, convert and multiply with.
public enum WeightFormatID: String, CaseIterable, Sendable, Codable {
    case f32, f16, q8_0, q4_0, q4_1
    case i2_s, tl1, tl2, tq1_0, tq2_0

    /// True for the 1.58-bit formats (ternary weights with a scale).
    public var isTernary: Bool {
        switch self {
        case .i2_s, .tl1, .tl2, .tq1_0, .tq2_0: return true
        default: return false
        }
    }
}

/// Which implementation of a kernel runs: the plain scalar reference, the portable SIMD path
/// (builds everywhere, including ARM), the x86 AVX2 path, or AVX2 with VNNI integer dot products
/// (256-bit AVX-VNNI or AVX-512 VNNI) where a format has such kernels (I2_S), AVX2 elsewhere.
public enum KernelPath: String, CaseIterable, Sendable, Codable {
    case scalar, portable, avx2
    case avxvnni, avx512vnni
}

/// How a format wants its activations encoded before the integer or float dot product.
public enum ActivationEncoding: String, Sendable, Codable {
    /// Plain float activations (F32 weights).
    case f32
    /// Activations rounded to IEEE half (F16 weights, as ggml does).
    case f16
    /// llama.cpp's Q8_0 blocks of 32 (Q8_0 and Q4_0 weights).
    case q8_0
    /// llama.cpp's Q8_1 blocks of 32, with the block sum (Q4_1 weights).
    case q8_1
    /// llama.cpp's Q8_K blocks of 256 (TQ1_0 and TQ2_0 weights).
    case q8_K
    /// One int8 row per token with an absmax scale, as bitnet.cpp's I2_S (W1.58A8).
    case int8PerToken
    /// bitnet.cpp's TL1/TL2 per-token lookup tables built from int8 activations.
    case lookupTable
}

/// TL1/TL2 tiling, which bitnet.cpp fixes per shape at code-generation time and never stores in
/// the file (FORMATS.md 2.2 and 2.3.1): rows per tile (BM), k-block (BK), rows per group (bm).
public struct TileConfiguration: Sendable, Hashable, Codable {
    public var rowsPerTile: Int
    public var kBlock: Int
    public var rowsPerGroup: Int
    /// Makes a tile configuration.
    public init(rowsPerTile: Int, kBlock: Int, rowsPerGroup: Int) {
        self.rowsPerTile = rowsPerTile
        self.kBlock = kBlock
        self.rowsPerGroup = rowsPerGroup
    }
}

/// Per-tensor facts a format needs that are not in its blob.
public struct FormatParameters: Sendable, Hashable {
    /// TL1/TL2 tiling for this tensor's shape; nil for the other formats.
    public var tile: TileConfiguration?
    /// Makes parameters.
    public init(tile: TileConfiguration? = nil) { self.tile = tile }
    /// No extra parameters.
    public static let none = FormatParameters()
}

/// One weight format: its layout facts, conversion from and to float, its scalar reference
/// product, and its fast kernels. Every entry lives in `WeightFormats.all`.
///
/// Matrices follow ggml: `rows` = M (output features, ne1), `columns` = K (row length, ne0),
/// `y[b][m] = Σ_k W[m][k] · x[b][k]`. Blobs are the standard on-disk GGUF bytes, trailer included.
public protocol WeightFormat: Sendable {
    /// The registry key.
    var id: WeightFormatID { get }
    /// The GGUF tensor type this format is stored as.
    var ggmlType: GGMLType { get }
    /// Row lengths must be a multiple of this.
    var blockSize: Int { get }
    /// Bits per weight of the packed data, scales included, for a large matrix.
    var nominalBitsPerWeight: Double { get }
    /// What the fast kernels consume as activations.
    var activation: ActivationEncoding { get }

    /// Throws `KernelError.unsupportedShape` when this format cannot hold an M×K matrix.
    func checkShape(rows: Int, columns: Int, parameters: FormatParameters) throws
    /// Size of the standard blob for an M×K matrix (assumes `checkShape` passed).
    func byteCount(rows: Int, columns: Int, parameters: FormatParameters) -> Int
    /// Packs float weights into the standard blob, bit-compatible with llama.cpp / bitnet.cpp.
    func quantize(_ weights: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
                  parameters: FormatParameters, into blob: UnsafeMutableRawBufferPointer) throws
    /// Unpacks a standard blob to floats (scale applied).
    func dequantize(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                    parameters: FormatParameters, into weights: UnsafeMutableBufferPointer<Float>) throws
    /// The plain scalar product, activation encoding included: the ground truth for the fast paths.
    func referenceMultiply(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                           parameters: FormatParameters, activations: UnsafeBufferPointer<Float>,
                           batch: Int, into output: UnsafeMutableBufferPointer<Float>) throws
    /// Makes the fast-kernel form of a blob (may repack; the blob must outlive the result if not).
    func prepare(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                 parameters: FormatParameters, path: KernelPath) throws -> any PreparedWeights
}

/// A weight matrix ready for its fast kernels: GEMV at batch 1, GEMM for larger batches.
public protocol PreparedWeights: AnyObject, Sendable {
    /// The format of the weights.
    var format: WeightFormatID { get }
    /// Output features (M).
    var rows: Int { get }
    /// Input features (K).
    var columns: Int { get }
    /// Bytes of weight data one full product streams from memory.
    var weightBytes: Int { get }
    /// The kernel path in use.
    var path: KernelPath { get }
    /// `output[b*rows + m] = Σ_k W[m][k] · activations[b*columns + k]` for b in 0..<batch,
    /// split across the pool's workers.
    func multiply(_ activations: UnsafePointer<Float>, batch: Int,
                  into output: UnsafeMutablePointer<Float>, pool: WorkerPool)
}

/// Errors from the weight formats and kernels, each naming what was wrong.
public enum KernelError: Error, CustomStringConvertible, Equatable {
    case unsupportedShape(format: WeightFormatID, rows: Int, columns: Int, reason: String)
    case blobSize(format: WeightFormatID, expected: Int, actual: Int)
    case missingTileConfiguration(format: WeightFormatID, rows: Int, columns: Int)
    case unsupportedPath(format: WeightFormatID, path: KernelPath, reason: String)
    case invalidData(format: WeightFormatID, reason: String)

    /// A one-line message for users.
    public var description: String {
        switch self {
        case let .unsupportedShape(f, m, k, reason):
            return "\(f.rawValue) cannot hold a \(m)x\(k) matrix: \(reason)"
        case let .blobSize(f, expected, actual):
            return "\(f.rawValue) blob has \(actual) bytes, expected \(expected)"
        case let .missingTileConfiguration(f, m, k):
            return "\(f.rawValue) needs tile parameters (BM, BK) for shape \(m)x\(k): give them in the file's metadata or with --tl2-config"
        case let .unsupportedPath(f, p, reason):
            return "\(f.rawValue) has no \(p.rawValue) kernel path: \(reason)"
        case let .invalidData(f, reason):
            return "\(f.rawValue) data is invalid: \(reason)"
        }
    }
}
