import Foundation
import GGUF
import Kernels
import TestSupport

/// A small `bitnet` model built so that every greedy decision has a wide margin, for comparing
/// weight formats (F32, F16, I2_S, TL2, TQ2_0, TQ1_0 of the same ternary weights).
///
/// **Task.** The model computes `next = F(current token, marker)`: the marker is the one token of
/// 128..<136 anywhere in the context, so the continuation depends on the context, not only on the
/// last token. `F(a, k) = σ[(a + 17k) mod 128]` for active tokens a < 128 and marker index k
/// (σ a fixed random permutation): for a fixed a the 8 markers give 8 different tokens, and for a
/// fixed marker F is a bijection of the active tokens. Tokens 136..<255 are fillers.
///
/// **Codes.** Rows of the 512×512 Sylvester Hadamard matrix H (H[i][j] = (-1)^popcount(i&j)) are
/// exactly orthogonal ±1 vectors: row 0 (all ones) is a constant "bias" direction, token t's input
/// code is c_t = row 1+t, and its output code is o_t = row 256+t. The embedding is c_t + row 0;
/// the output head's row t is o_t / 8. Every linear layer below is ternary (values in {-1, 0, 1}
/// times a power-of-two scale), so all formats hold exactly the same weights.
///
/// **Layers** (hidden 512, ffn 1024, 8 heads of 64, RoPE on 32 of the 64 dims, 3 blocks):
/// - block 1 (the circuit). Attention finds the marker: query rows of the 32 unrotated dims of
///   each head are all ones /32, which read the constant bias (the same query ≈ 11 everywhere);
///   key row of unrotated dim u is c_(128 + u mod 8)/32, ≈ 11 for that marker and exactly 0 for
///   every other token. A marker's score is about 60, every other score about 0 (±3 from the
///   distractor's noise), so the softmax puts all but ~1e-24 of the weight on the marker. V and
///   O are identities, and the attention sub-norm gain √2 makes the marker's code enter the
///   residual with the same weight as the current token's.
///   The FFN is a key-value memory: unit (a, k) has gate and up rows (c_a + c_(128+k))/2 (ternary,
///   since two ±1 codes agree on half the entries) and down column o_F(a,k). The unit matching both
///   the current token and the marker gets gate 2G, units matching one of them G, all others 0,
///   so silu(gate)·up is 4G², G² or 0. After the sub-norm the winner's output code carries 4 and
///   any other token at most 2 (one unit from each family, by the injectivity of F), so its logit
///   is about twice the next best (≈13 versus at most ~7; the smallest measured F32 margin over
///   three prompts is 4.27).
/// - blocks 0 and 2 (distractors): independent random ternary weights (a third each of -1, 0, +1,
///   scale ≈ 1/√(nonzeros per row)) with sub-norm gain 0.25, so they perturb the stream (random
///   RoPE attention, a random gated FFN) by roughly 8-18% of its size: the layers are not all
///   clean, yet the perturbation stays well inside the margin.
///
/// **Why it is well conditioned.** The decisions rest on discrete overlaps of orthogonal codes
/// (0, 1 or 2 matches; attention scores of about 60 versus about 0), not on the fine structure of random sums, so the
/// top-2 logit margin is a large fixed fraction of the logits, while the formats' activation
/// schemes (float, F16, int8 per token, Q8_K) change the logits by well under 1% of their size.
/// The test measures both and requires the margin to exceed the spread by a factor (measured:
/// smallest F32 top-2 margin 4.27, largest logit difference of any format 0.106).
struct WellConditionedModel {
    static let hidden = 512
    static let feedForward = 1024
    static let heads = 8
    static let headDimension = 64
    static let ropeDimensions = 32
    static let layers = 3
    static let circuitLayer = 1
    static let vocabulary = 255
    static let activeTokens = 0..<128
    static let markers = 128..<136
    /// σ of the rule F, a fixed permutation of the active tokens.
    static let permutation: [Int] = {
        var random = SplitMix64(seed: 0x5EED_0F_F)
        var p = Array(activeTokens)
        for i in stride(from: p.count - 1, to: 0, by: -1) { p.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        return p
    }()
    /// Sub-norm gain of the distractor blocks.
    static let distractorGain: Float = 0.25

    /// The rule the model computes: the token after active token `token` when `marker` is in context.
    static func next(after token: Int, marker: Int) -> Int {
        precondition(activeTokens.contains(token) && markers.contains(marker))
        return permutation[(token + 17 * (marker - markers.lowerBound)) % activeTokens.count]
    }

    /// The rule's greedy continuation of a prompt ending in an active token with one marker.
    static func expectedContinuation(of prompt: [Int], steps: Int) -> [Int] {
        guard let marker = prompt.first(where: markers.contains), var token = prompt.last else { return [] }
        return (0..<steps).map { _ in token = next(after: token, marker: marker); return token }
    }

    /// One tensor of the F32 master model: linear weights are ternary values times a scale.
    struct Tensor {
        var name: String
        var shape: [Int]
        var values: [Float]
        var isLinear: Bool
    }

    /// The master tensors, in file order.
    let tensors: [Tensor]

    /// The model; `withoutCircuitAttention` zeroes the circuit block's attention sub-norm gain, so
    /// its attention adds nothing (the FFN then sees no marker).
    init(withoutCircuitAttention: Bool = false) {
        let d = Self.hidden, f = Self.feedForward, v = Self.vocabulary
        func code(_ row: Int) -> [Float] { (0..<d).map { Float((row & $0).nonzeroBitCount % 2 == 0 ? 1 : -1) } }
        let bias = code(0)
        var tensors: [Tensor] = []
        var embedding: [Float] = [], output: [Float] = []
        for t in 0..<v {
            embedding += zip(code(1 + t), bias).map { $0 + $1 }
            output += code(256 + t).map { $0 / 8 }
        }
        tensors.append(Tensor(name: "token_embd.weight", shape: [d, v], values: embedding, isLinear: false))
        var random = SplitMix64(seed: 0xB17_BE4C)
        for layer in 0..<Self.layers {
            let p = "blk.\(layer)."
            func norm(_ name: String, _ count: Int, _ gain: Float) {
                tensors.append(Tensor(name: p + name, shape: [count], values: [Float](repeating: gain, count: count), isLinear: false))
            }
            func linear(_ name: String, rows: Int, columns: Int, _ values: [Float]) {
                precondition(values.count == rows * columns)
                tensors.append(Tensor(name: p + name, shape: [columns, rows], values: values, isLinear: true))
            }
            func randomTernary(rows: Int, columns: Int) -> [Float] {
                // Scale 1/√(2K/3) rounded to a power of two: unit-size outputs for unit-size inputs.
                let scale = Float(pow(2, -(log2(sqrt(2 * Double(columns) / 3))).rounded()))
                return (0..<(rows * columns)).map { _ in Float(Int(random.next() % 3) - 1) * scale }
            }
            norm("attn_norm.weight", d, 1)
            norm("ffn_norm.weight", d, 1)
            if layer != Self.circuitLayer {
                linear("attn_q.weight", rows: d, columns: d, randomTernary(rows: d, columns: d))
                linear("attn_k.weight", rows: d, columns: d, randomTernary(rows: d, columns: d))
                linear("attn_v.weight", rows: d, columns: d, randomTernary(rows: d, columns: d))
                linear("attn_output.weight", rows: d, columns: d, randomTernary(rows: d, columns: d))
                linear("ffn_gate.weight", rows: f, columns: d, randomTernary(rows: f, columns: d))
                linear("ffn_up.weight", rows: f, columns: d, randomTernary(rows: f, columns: d))
                linear("ffn_down.weight", rows: d, columns: f, randomTernary(rows: d, columns: f))
                norm("attn_sub_norm.weight", d, Self.distractorGain)
                norm("ffn_sub_norm.weight", f, Self.distractorGain)
                continue
            }
            // Attention: constant query and marker keys on the unrotated dims, V = O = identity.
            var query = [Float](repeating: 0, count: d * d), key = query, identity = query
            for r in 0..<d {
                identity[r * d + r] = 1
                let u = r % Self.headDimension - Self.ropeDimensions
                guard u >= 0 else { continue }
                let marker = code(1 + Self.markers.lowerBound + u % Self.markers.count)
                for j in 0..<d {
                    query[r * d + j] = 1.0 / 32
                    key[r * d + j] = marker[j] / 32
                }
            }
            linear("attn_q.weight", rows: d, columns: d, query)
            linear("attn_k.weight", rows: d, columns: d, key)
            linear("attn_v.weight", rows: d, columns: d, identity)
            linear("attn_output.weight", rows: d, columns: d, identity)
            // FFN: unit (a, k) = k * 128 + a keys on c_a + c_marker and writes o_F(a, k).
            var gate = [Float](repeating: 0, count: f * d), down = [Float](repeating: 0, count: d * f)
            for k in 0..<Self.markers.count {
                let marker = code(1 + Self.markers.lowerBound + k)
                for a in Self.activeTokens {
                    let unit = k * Self.activeTokens.count + a
                    let current = code(1 + a)
                    for j in 0..<d { gate[unit * d + j] = (current[j] + marker[j]) / 2 / 8 }
                    let target = code(256 + Self.next(after: a, marker: Self.markers.lowerBound + k))
                    for j in 0..<d { down[j * f + unit] = target[j] / 16 }
                }
            }
            linear("ffn_gate.weight", rows: f, columns: d, gate)
            linear("ffn_up.weight", rows: f, columns: d, gate)
            linear("ffn_down.weight", rows: d, columns: f, down)
            norm("attn_sub_norm.weight", d, withoutCircuitAttention ? 0 : Float(2).squareRoot())
            norm("ffn_sub_norm.weight", f, 1)
        }
        tensors.append(Tensor(name: "output_norm.weight", shape: [d], values: [Float](repeating: 1, count: d), isLinear: false))
        tensors.append(Tensor(name: "output.weight", shape: [d, v], values: output, isLinear: false))
        self.tensors = tensors
    }

    /// TL2 tiles for the model's shapes (none has a bitnet.cpp preset), stored in its metadata.
    static var tiles: TileConfigurationTable {
        var table = TileConfigurationTable()
        for (rows, columns) in [(hidden, hidden), (feedForward, hidden), (hidden, feedForward)] {
            table.set(TileConfigurationTable.generated(for: .tl2, rows: rows, columns: columns)!, for: .tl2,
                      rows: rows, columns: columns)
        }
        return table
    }

    /// The model's GGUF metadata (the keys bitnet.cpp's dummy models have, plus the TL2 tiles).
    static var metadata: GGUFMetadata {
        let p = "bitnet"
        var metadata = GGUFMetadata([
            ("general.architecture", .string(p)),
            ("\(p).block_count", .uint32(UInt32(layers))),
            ("\(p).context_length", .uint32(128)),
            ("\(p).embedding_length", .uint32(UInt32(hidden))),
            ("\(p).feed_forward_length", .uint32(UInt32(feedForward))),
            ("\(p).attention.head_count", .uint32(UInt32(heads))),
            ("\(p).attention.head_count_kv", .uint32(UInt32(heads))),
            ("\(p).rope.dimension_count", .uint32(UInt32(ropeDimensions))),
            ("\(p).rope.freq_base", .float32(10000)),
            ("\(p).attention.layer_norm_rms_epsilon", .float32(1e-5)),
        ])
        tiles.store(into: &metadata)
        return metadata
    }

    /// The model, made once per test process.
    static let shared = WellConditionedModel()
    /// `shared` in every format the tests compare, quantized once per test process (the tests
    /// run in parallel and only read them).
    private static let copies = Result<[WeightFormatID: ModelInMemorySource], any Error> {
        try Dictionary(uniqueKeysWithValues: [WeightFormatID.f32, .f16, .i2_s, .tl2, .tq2_0, .tq1_0].map {
            ($0, try shared.source($0))
        })
    }

    /// `shared` with its linear weights in `format` (one of F32, F16, I2_S, TL2, TQ2_0, TQ1_0).
    static func copy(_ format: WeightFormatID) throws -> ModelInMemorySource {
        try requireNotNil(copies.get()[format], "the well-conditioned model as \(format.rawValue)")
    }

    /// The model with its linear weights in `format`, made by that format's own quantizer from
    /// the F32 master values; embedding, norms and output head stay F32.
    func source(_ format: WeightFormatID) throws -> ModelInMemorySource {
        let model = ModelInMemorySource(metadata: Self.metadata, label: "well-conditioned bitnet as \(format.rawValue)")
        let target = WeightFormats.format(format)
        for tensor in tensors {
            guard tensor.isLinear else {
                model.add(tensor.name, shape: tensor.shape, type: .f32,
                          bytes: tensor.values.withUnsafeBufferPointer { Data(buffer: $0) })
                continue
            }
            let rows = tensor.shape[1], columns = tensor.shape[0]
            let parameters = try Self.tiles.parameters(for: format, rows: rows, columns: columns)
            var bytes = Data(count: target.byteCount(rows: rows, columns: columns, parameters: parameters))
            try bytes.withUnsafeMutableBytes { out in
                try tensor.values.withUnsafeBufferPointer { input in
                    try target.quantize(input, rows: rows, columns: columns, parameters: parameters, into: out)
                }
            }
            model.add(tensor.name, shape: tensor.shape, type: target.ggmlType, bytes: bytes)
        }
        return model
    }
}
