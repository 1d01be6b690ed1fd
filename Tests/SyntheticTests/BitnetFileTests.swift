import Foundation
import GGUF
import Kernels
import Synthetic
import TestSupport
import Testing

/// The 125M preset written as I2_S and TL2: bitnet.cpp's keys, types, shapes and sizes (compared
/// with the bitnet-tiny fixtures), the I2_S layout and scale placement checked by an independent
/// numpy decoder, TL2 checked through the format's unpacker, and pip `gguf` reading the header.
@Suite(.serialized) struct BitnetFileTests {
    /// One 125M file per type, written once for the suite.
    static let files = GeneratedFiles()

    /// Parses a GGUF header with pip gguf's own reader; gguf 0.19 maps ids 36-38 to nothing and
    /// 39 to MXFP4, so its typed tensor views are skipped and the raw infos kept instead.
    static let headerScript = """
    import sys, json
    from gguf.gguf_reader import GGUFReader
    class HeaderOnly(GGUFReader):
        def _build_tensors(self, start, fields):
            self.raw = []
            for f in fields:
                _n, name, _nd, dims, t, off = f.parts
                self.raw.append([bytes(name).decode(), [int(d) for d in dims], int(t[0]), int(off[0])])
            self.start = start
    r = HeaderOnly(sys.argv[1])
    keys = {k: [int(t) for t in f.types] for k, f in r.fields.items() if not k.startswith('GGUF.')}
    print(json.dumps({"keys": keys, "tensors": r.raw, "start": int(r.start)}))
    """

    struct PythonHeader: Decodable {
        var keys: [String: [Int]]
        var tensors: [[Value]]
        var start: Int
        enum Value: Decodable, Equatable {
            case int(Int), string(String), ints([Int])
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let v = try? c.decode(Int.self) { self = .int(v) }
                else if let v = try? c.decode(String.self) { self = .string(v) }
                else { self = .ints(try c.decode([Int].self)) }
            }
        }
    }

    static func pythonHeader(_ path: String) throws -> PythonHeader {
        let out = try Fixtures.runPython(headerScript, arguments: [path])
        return try JSONDecoder().decode(PythonHeader.self, from: Data(out.utf8))
    }

    @Test(arguments: [(WeightFormatID.i2_s, "i2_s"), (.tl2, "tl2")])
    func pipGGUFReadsOurHeaderLikeTheFixtures(type: WeightFormatID, name: String) throws {
        let ours = try Self.pythonHeader(try Self.files.path(type))
        let theirs = try Self.pythonHeader(Fixtures.shared("bitnet-tiny/bitnet-tiny.\(name).gguf").path)
        // Same keys with the same GGUF value types (arrays: element type too); extras are bitbench.*.
        for (key, types) in theirs.keys { #expect(ours.keys[key] == types, "\(key)") }
        #expect(ours.keys.keys.filter { theirs.keys[$0] == nil }.allSatisfy { $0.hasPrefix("bitbench.") })
        // Same tensor (name, dims, raw type id) for every fixture tensor; offsets aligned.
        let ourTensors = Dictionary(ours.tensors.map { (Self.string($0[0]), $0) }, uniquingKeysWith: { a, _ in a })
        for tensor in theirs.tensors {
            let mine = try #require(ourTensors[Self.string(tensor[0])], "\(tensor[0])")
            #expect(mine[1] == tensor[1] && mine[2] == tensor[2], "\(tensor[0])")
        }
        #expect(ours.tensors.count == 123 && ours.start % 32 == 0)
    }

    static func string(_ value: PythonHeader.Value) -> String {
        if case .string(let s) = value { return s }
        return ""
    }

    @Test func i2sLayoutAndScaleMatchAnIndependentDecoder() throws {
        let path = try Self.files.path(.i2_s)
        let file = try GGUFFile(path: path)
        #expect(file.metadata.int("general.file_type") == 40)
        for name in ["blk.0.attn_q.weight", "blk.10.ffn_down.weight", "blk.3.ffn_up.weight"] {
            let info = try #require(file.tensorInfo(name))
            let k = info.rowLength, m = info.rowCount
            #expect(info.type == .i2_s && info.byteCount == m * k / 4 + 32)
            // Expected trits from the generator, decoded trits from numpy (FORMATS.md 2.1).
            var expected = [Int8](repeating: 0, count: m * k)
            expected.withUnsafeMutableBufferPointer {
                TernaryDistribution.absmeanGaussian.fill(CounterRandom(seed: 1, name: name), elements: 0..<m * k,
                                                         into: $0.baseAddress!)
            }
            let script = """
            import sys, numpy as np
            path, off, m, k, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
            raw = np.fromfile(path, dtype=np.uint8, count=m*k//4 + 32, offset=off)
            b = raw[:m*k//4].reshape(-1, 32)
            codes = np.stack([(b >> 6) & 3, (b >> 4) & 3, (b >> 2) & 3, b & 3], axis=1).reshape(-1)
            assert codes.max() <= 2, "code 3 written"
            (codes.astype(np.int8) - 1).tofile(out)
            scale = raw[m*k//4:m*k//4+4].view(np.float32)[0]
            print(repr(float(scale)), int(np.count_nonzero(raw[m*k//4+4:])))
            """
            let dir = try TemporaryDirectory()
            let out = try Fixtures.runPython(script, arguments: [path, "\(file.dataOffset + info.offset)", "\(m)", "\(k)",
                                                                 dir.file("trits.bin")])
            let fields = out.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let decoded = try Data(contentsOf: URL(fileURLWithPath: dir.file("trits.bin"))).map { Int8(bitPattern: $0) }
            #expect(decoded == expected, "\(name) codes")
            #expect(Float(fields[0]) == TernaryDistribution.scale(columns: k), "\(name) scale")
            #expect(fields[1] == "0", "\(name) trailer after the scale is zero")
        }
    }

    @Test func tl2BlobsUnpackToTheGeneratedTritsAndScale() throws {
        let path = try Self.files.path(.tl2)
        let file = try GGUFFile(path: path)
        #expect(file.metadata.int("general.file_type") == 39)
        let format = try #require(WeightFormats.all.first { $0.id == .tl2 } as? any TernaryWeightFormat)
        let tiles = try TileConfigurationTable(metadata: file.metadata)
        for name in ["blk.0.attn_q.weight", "blk.10.ffn_down.weight", "blk.3.ffn_up.weight"] {
            let info = try #require(file.tensorInfo(name))
            let k = info.rowLength, m = info.rowCount
            let blob = try #require(file.tensorData(name))
            // Size rule and scale placement: alpha at roundup(F, 32), zeros after it (FORMATS.md 2.3.6).
            let f = (k - 256) * m / 3 * 5 / 8 + 256 * m / 2 * 4 / 8
            let scaleOffset = (f + 31) / 32 * 32
            #expect(blob.count == scaleOffset + 32)
            #expect(blob.load(fromByteOffset: scaleOffset, as: Float.self) == TernaryDistribution.scale(columns: k))
            #expect(blob[(scaleOffset + 4)...].allSatisfy { $0 == 0 })
            let parameters = FormatParameters(tile: tiles.configuration(for: .tl2, rows: m, columns: k))
            #expect(parameters.tile != nil, "\(name): the file records its tiling")
            let (trits, scale) = try format.unpackTernary(blob, rows: m, columns: k, parameters: parameters)
            var expected = [Int8](repeating: 0, count: m * k)
            expected.withUnsafeMutableBufferPointer {
                TernaryDistribution.absmeanGaussian.fill(CounterRandom(seed: 1, name: name), elements: 0..<m * k,
                                                         into: $0.baseAddress!)
            }
            #expect(trits == expected, "\(name)")
            #expect(scale == TernaryDistribution.scale(columns: k))
        }
    }

    @Test(arguments: [WeightFormatID.tq1_0, .tq2_0])
    func tqFilesAreReadCompletelyByPipGGUF(type: WeightFormatID) throws {
        var shape = try ModelPresets.shape(named: "125M")
        shape.layers = 2
        let dir = try TemporaryDirectory()
        let path = dir.file("m.gguf")
        let layout = try SyntheticModelLayout(spec: SyntheticModelSpec(shape: shape, weightType: type, vocabSize: 1000))
        try SyntheticModelWriter(layout: layout, threads: 2, showProgress: false).write(to: path)
        let script = """
        import sys, gguf, numpy as np
        r = gguf.GGUFReader(sys.argv[1])
        t = {x.name: x for x in r.tensors}['blk.1.attn_v.weight']
        w = gguf.dequantize(t.data, t.tensor_type)
        a = float(np.abs(w).max())
        print(t.tensor_type.name, repr(a), repr(float(np.mean(w == 0))))
        """
        let out = try Fixtures.runPython(script, arguments: [path]).split(separator: " ")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(out[0] == type.rawValue.uppercased())
        // Every block holds ±alpha, stored as fp16(alpha) (FORMATS.md 2.4).
        #expect(Float(out[1]) == Half.round(TernaryDistribution.scale(columns: 768)))
        #expect(abs(Double(out[2])! - 0.31) < 0.01)
    }
}

/// Writes the 125M preset once per type and shares the path between tests.
final class GeneratedFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [WeightFormatID: String] = [:]
    private let directory = try! TemporaryDirectory()

    func path(_ type: WeightFormatID) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let path = paths[type] { return path }
        let path = directory.file("125M.\(type.rawValue).gguf")
        let spec = SyntheticModelSpec(shape: try ModelPresets.shape(named: "125M"), weightType: type, vocabSize: 1000)
        try SyntheticModelWriter(layout: try SyntheticModelLayout(spec: spec), threads: 2, showProgress: false).write(to: path)
        paths[type] = path
        return path
    }
}
