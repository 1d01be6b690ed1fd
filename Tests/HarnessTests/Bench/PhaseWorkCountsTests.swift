import Engine
import Foundation
import Harness
import Kernels
import Measurement
import Synthetic
import Testing

@Suite("Phase work counts for the energy model", .serialized)
struct PhaseWorkCountsTests {
    typealias Matrix = PhaseWorkCounts.Matrix

    /// Two layers of a 16-wide model (ffn 32, kv 8) with `format` blocks and an F16 head of 100 x 16.
    static func counts(_ format: WeightFormatID, bytesPerMatrix: Int = 1000) -> PhaseWorkCounts {
        let layer = [Matrix(rows: 16, columns: 16, format: format, weightBytes: bytesPerMatrix),   // q
                     Matrix(rows: 8, columns: 16, format: format, weightBytes: bytesPerMatrix),    // k
                     Matrix(rows: 8, columns: 16, format: format, weightBytes: bytesPerMatrix),    // v
                     Matrix(rows: 16, columns: 16, format: format, weightBytes: bytesPerMatrix),   // o
                     Matrix(rows: 32, columns: 16, format: format, weightBytes: bytesPerMatrix),   // gate
                     Matrix(rows: 32, columns: 16, format: format, weightBytes: bytesPerMatrix),   // up
                     Matrix(rows: 16, columns: 32, format: format, weightBytes: bytesPerMatrix)]   // down
        return PhaseWorkCounts(blocks: layer + layer, head: Matrix(rows: 100, columns: 16, format: .f16, weightBytes: 3200),
                               layerCount: 2, kvDimension: 8)
    }

    // Per layer: 256 + 128 + 128 + 256 + 512 + 512 + 512 = 2304 weights; two layers 4608.
    static let blockWeights = 4608.0
    static let headWeights = 1600.0

    @Test("ternary blocks count only int8_add (M*K*T); the F16 head counts fp16 ops for one logit row in pp")
    func ternaryPromptProcessing() {
        let work = Self.counts(.i2_s).work(.pp, tokens: 10, startPosition: 0, batch: 4)
        #expect(work.operations["int8_add"] == Self.blockWeights * 10)
        #expect(work.operations["fp16_mult"] == Self.headWeights * 1)
        #expect(work.operations["fp16_add"] == Self.headWeights * 1)
        #expect(Set(work.operations.keys) == ["int8_add", "fp16_mult", "fp16_add"])
        // ceil(10/4) = 3 passes over 14 matrices of 1000 bytes, the head once, and the F16 KV cache:
        // passes end at positions 4, 8, 10, reading 4+8+10 = 22 positions, writing 10;
        // per position 2 layers x (K+V) x 8 x 2 bytes = 64.
        let expectedBytes: Double = 3 * 14_000 + 3200 + (22 + 10) * 64
        #expect(work.dramBytes == expectedBytes)
        #expect(work.method == PhaseWorkCounts.method)
    }

    @Test("tg counts every decode run as a pass with its own logit row and reads the cache after the prompt")
    func generation() {
        let work = Self.counts(.tl2).work(.tg, tokens: 4, startPosition: 3, batch: 8)
        #expect(work.operations["int8_add"] == Self.blockWeights * 4)
        #expect(work.operations["fp16_mult"] == Self.headWeights * 4)
        // 4 passes of blocks and head (batch does not matter); tokens at 3..6 read 4+5+6+7 = 22 positions, write 4.
        let expectedBytes: Double = 4 * (14_000 + 3200) + (22 + 4) * 64
        #expect(work.dramBytes == expectedBytes)
    }

    @Test("F16 blocks count fp16 multiplies and adds and no integer adds; F32 and Q8_0 count their own types")
    func floatFormats() {
        let f16 = Self.counts(.f16).work(.pp, tokens: 5, startPosition: 0, batch: 512)
        #expect(f16.operations["int8_add"] == nil)
        #expect(f16.operations["fp16_mult"] == Self.blockWeights * 5 + Self.headWeights)
        #expect(f16.operations["fp16_add"] == Self.blockWeights * 5 + Self.headWeights)
        let f16Bytes: Double = 14_000 + 3200 + (5 + 5) * 64  // one pass: 5 tokens fit one batch
        #expect(f16.dramBytes == f16Bytes)
        let f32 = Self.counts(.f32).work(.tg, tokens: 1, startPosition: 0, batch: 1)
        #expect(f32.operations["fp32_mult"] == Self.blockWeights && f32.operations["fp32_add"] == Self.blockWeights)
        let q8 = Self.counts(.q8_0).work(.tg, tokens: 2, startPosition: 0, batch: 1)
        #expect(q8.operations["int8_mult"] == Self.blockWeights * 2 && q8.operations["int8_add"] == Self.blockWeights * 2)
        for format in WeightFormatID.allCases {
            let types = PhaseWorkCounts.operationTypes(for: format)
            #expect(format.isTernary ? types == ["int8_add"] : types.count == 2)
        }
    }

    @Test("pp passes are ceil(N / batch); tg passes and logit rows are one per token")
    func passCounts() {
        #expect(PhaseWorkCounts.passes(.pp, tokens: 64, batch: 64) == 1)
        #expect(PhaseWorkCounts.passes(.pp, tokens: 65, batch: 64) == 2)
        #expect(PhaseWorkCounts.passes(.pp, tokens: 512, batch: 128) == 4)
        #expect(PhaseWorkCounts.passes(.tg, tokens: 16, batch: 512) == 16)
        #expect(PhaseWorkCounts.logitRows(.pp, tokens: 512) == 1)
        #expect(PhaseWorkCounts.logitRows(.tg, tokens: 16) == 16)
    }

    static let tiny = SyntheticModelSpec(shape: ModelShape(name: "tiny", hidden: 256, ffn: 512, layers: 2, heads: 4, contextLength: 256),
                                         weightType: .i2_s)

    static func session(_ format: WeightFormatID) throws -> InferenceSession {
        var spec = tiny
        spec.weightType = format
        let source = try SyntheticModelFactory.make(.init(spec: spec, context: 64, batch: 8, threads: 1, showProgress: false))
        return try InferenceSession(source: source, options: SessionOptions(threads: 1, contextLength: 64, batchSize: 8))
    }

    @Test("a synthetic session's bound matrices give the shapes and formats of the spec")
    func fromSession() throws {
        let session = try Self.session(.i2_s)
        let counts = PhaseWorkCounts(weights: session.weights)
        #expect(counts.blocks.count == 2 * 7)
        let shapes = counts.blocks.prefix(7).map { [$0.rows, $0.columns] }
        #expect(shapes == [[256, 256], [256, 256], [256, 256], [256, 256], [512, 256], [512, 256], [256, 512]])
        #expect(counts.blocks.allSatisfy { $0.format == .i2_s && $0.weightBytes > 0 })
        #expect(counts.head.rows == session.config.vocabularySize && counts.head.columns == 256)
        #expect(counts.layerCount == 2 && counts.kvDimension == 256)
        let work = counts.work(.pp, tokens: 16, startPosition: 0, batch: 8)
        // 2 layers x (4 x 256*256 + 3 x 512*256) weights x 16 tokens, plus the head's row if it is ternary.
        let blockAdds: Double = 2.0 * (4 * 65_536 + 3 * 131_072) * 16
        let headAdds = counts.head.format.isTernary ? Double(256 * session.config.vocabularySize) : 0
        #expect(work.operations["int8_add"] == blockAdds + headAdds)
    }

    @Test("bench --energy model: every record's energy is the labelled model estimate of its phase's counted work")
    func benchRecordsCarryTheEstimate() throws {
        let sweep = BenchSweep(models: [.synthetic(Self.tiny)], formats: [.i2_s, .f16], threads: [1], batchSizes: [8],
                               promptSizes: [16], generationSizes: [4], generationPromptTokens: 2)
        var options = BenchRunner.Options()
        options.repetitions = 2
        options.warmups = 0
        options.energy = .method(.model)
        options.numaNodeCount = 1
        let result = try BenchRunner(options: options).run(try BenchPlan(sweep))
        #expect(result.records.count == 4)
        for record in result.records {
            #expect(record.energy.method == .model)
            #expect(record.energy.measured == false)
            let note = try #require(record.energy.note)
            #expect(note.contains(EnergyModel.label))
            #expect(note.contains("work counts: \(PhaseWorkCounts.method)"))
            // No TDP: the total must say it leaves out the static term.
            #expect(note.contains("covers only operations + dram; missing: static (no TDP stated"))
            // Work is deterministic, so the median is the model applied to the phase's counts.
            let format = try #require(WeightFormatID(rawValue: record.format))
            let counts = PhaseWorkCounts(weights: try Self.session(format).weights)
            let start = record.test.kind == .pp ? 0 : 2
            let work = counts.work(record.test.kind, tokens: record.test.tokens, startPosition: start, batch: 8)
            let terms = EnergyModel().estimate(seconds: 1, work: work).terms.filter { $0.name != "static" }
            #expect(terms.map(\.name) == ["operations", "dram"] && terms.allSatisfy { $0.joules != nil })
            let expected = terms.compactMap(\.joules).reduce(0, +)
            let joules = try #require(record.energy.joules.value)
            #expect(abs(joules - expected) <= 1e-9 * expected)
            let perToken = try #require(record.energy.joulesPerToken.value)
            #expect(abs(perToken - expected / Double(record.test.tokens)) <= 1e-9 * perToken)
        }
        let md = try BenchReport.render(result, as: .md)
        #expect(md.contains("energy (estimate): \(EnergyModel.label)"))
        #expect(md.contains("| model |\n"))
        let csv = try BenchReport.render(result, as: .csv)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 1 + result.records.count)
        let header = lines[0].split(separator: ",").map(String.init)
        #expect(header.contains("energy_method") && header.contains("energy_note"))
        #expect(lines.dropFirst().allSatisfy { $0.contains("ESTIMATE (energy model)") })
        let json = try BenchReport.render(result, as: .jsonl)
        for line in json.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["energy_method"] as? String == "model")
            #expect(object["energy_measured"] as? String == "false" || object["energy_measured"] as? Bool == false)
            #expect((object["energy_joules"] as? Double ?? 0) > 0)
            #expect((object["energy_note"] as? String)?.hasPrefix(EnergyModel.label) == true)
        }
    }

    @Test("with a TDP the bench estimate adds the static term and no longer says a term is missing")
    func withTDP() throws {
        let sweep = BenchSweep(models: [.synthetic(Self.tiny)], formats: [.i2_s], threads: [1], batchSizes: [8],
                               promptSizes: [16], generationSizes: [], generationPromptTokens: 2)
        var options = BenchRunner.Options()
        options.repetitions = 1
        options.warmups = 0
        options.energy = .method(.model)
        options.energyModel = EnergyModel(tdpWatts: 50)
        options.numaNodeCount = 1
        let record = try #require(try BenchRunner(options: options).run(try BenchPlan(sweep)).records.first)
        let note = try #require(record.energy.note)
        #expect(note.hasPrefix(EnergyModel.label))
        #expect(!note.contains("missing"))
        let counts = PhaseWorkCounts(weights: try Self.session(.i2_s).weights)
        let dynamic = EnergyModel().estimate(seconds: nil, work: counts.work(.pp, tokens: 16, startPosition: 0, batch: 8))
            .terms.compactMap(\.joules).reduce(0, +)
        #expect(try #require(record.energy.joules.value) > dynamic)
    }
}
