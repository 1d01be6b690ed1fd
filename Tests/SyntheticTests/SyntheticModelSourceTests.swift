import Engine
import Foundation
import GGUF
import Kernels
import Synthetic
import TestSupport
import Testing

/// In-memory models look exactly like the generated file; aliasing shares bytes, is labelled,
/// and is refused when the bytes could come from cache.
@Suite struct SyntheticModelSourceTests {
    static let shape = ModelShape(name: "tiny", hidden: 256, ffn: 512, layers: 6, heads: 4, contextLength: 256)

    static func layout(_ type: WeightFormatID = .f16) throws -> SyntheticModelLayout {
        try SyntheticModelLayout(spec: SyntheticModelSpec(shape: shape, weightType: type, vocabSize: 300, seed: 9))
    }

    @Test func sourceHasTheFileMetadataTensorInfosAndBytes() throws {
        let layout = try Self.layout()
        let dir = try TemporaryDirectory()
        let path = dir.file("m.gguf")
        try SyntheticModelWriter(layout: layout, threads: 2, showProgress: false).write(to: path)
        let file = try GGUFFile(path: path)
        let source = try SyntheticModelSource(layout: layout, threads: 2)
        #expect(source.tensorInfos == file.tensorInfos)
        #expect(source.metadata.keys == file.metadata.keys)
        for key in file.metadata.keys { #expect(source.metadata[key] == file.metadata[key]) }
        for info in file.tensorInfos {
            let mine = try #require(source.tensorData(info.name))
            let theirs = try #require(file.tensorData(info.name))
            #expect(mine.count == theirs.count && mine.elementsEqual(theirs), "\(info.name)")
            #expect(Int(bitPattern: mine.baseAddress) % PageAlignedMemory.pageSize == 0, "\(info.name) page-aligned")
        }
        #expect(source.tensorData("output.weight") == nil)
        #expect(source.sourceLabel == "synthetic tiny f16 seed 9")
        #expect(!source.aliasing.isAliased)
    }

    @Test func aliasedBlocksShareThePhysicalBlockBytes() throws {
        let layout = try Self.layout()
        let cache = LastLevelCache(level: 3, bytes: 1024)   // tiny LLC so the reuse distance passes
        let aliasing = try LayerAliasing(distinctLayers: 4, layers: 6, layerBytes: layout.layerBytes, cache: cache)
        let source = try SyntheticModelSource(layout: layout, aliasing: aliasing, threads: 2)
        #expect(source.sourceLabel == "synthetic tiny f16 seed 9, aliased 4/6")
        #expect(source.tensorInfos.count == layout.tensorInfos.count)
        for name in ["attn_q.weight", "ffn_down.weight", "attn_norm.weight"] {
            let p4 = source.tensorData("blk.4.\(name)")?.baseAddress
            #expect(p4 != nil && p4 == source.tensorData("blk.0.\(name)")?.baseAddress)
            #expect(source.tensorData("blk.5.\(name)")?.baseAddress == source.tensorData("blk.1.\(name)")?.baseAddress)
            #expect(source.tensorData("blk.3.\(name)")?.baseAddress != source.tensorData("blk.0.\(name)")?.baseAddress)
        }
        #expect(source.residentBytes == SyntheticModelSource.residentBytes(layout: layout, distinctLayers: 4))
        #expect(source.residentBytes < SyntheticModelSource.residentBytes(layout: layout, distinctLayers: 6))
    }

    @Test func aliasingIsRefusedWhenTheReuseDistanceFitsInFourLLCs() throws {
        let layerBytes = 347 << 20       // one 100B I2_S block
        let llc = LastLevelCache(level: 3, bytes: 260 << 20)
        do {
            _ = try LayerAliasing(distinctLayers: 2, layers: 72, layerBytes: layerBytes, cache: llc)
            Issue.record("2 x 347 MiB < 4 x 260 MiB was accepted")
        } catch let SyntheticError.aliasing(text) {
            #expect(text.contains("694 MiB") && text.contains("1040 MiB") && text.contains("--alias-layers 3"))
        }
        let ok = try LayerAliasing(distinctLayers: 3, layers: 72, layerBytes: layerBytes, cache: llc)
        #expect(ok.label == "aliased 3/72" && ok.physicalLayer(71) == 2)
        // K = 1 is the plain rule: one block >= 4 x LLC.
        #expect(throws: SyntheticError.self) {
            try LayerAliasing(distinctLayers: 1, layers: 72, layerBytes: layerBytes, cache: llc)
        }
        #expect(throws: SyntheticError.self) {
            try LayerAliasing(distinctLayers: 73, layers: 72, layerBytes: layerBytes, cache: llc)
        }
        // Not aliased (K = L) is never refused.
        #expect(!(try LayerAliasing(distinctLayers: 72, layers: 72, layerBytes: 1, cache: llc)).isAliased)
    }

    @Test func fitMemoryPicksTheMostDistinctBlocksThatFit() throws {
        let layout = try Self.layout()
        var request = SyntheticModelFactory.Request(spec: layout.spec, context: 256, batch: 8, threads: 2,
                                                    fitMemory: true, showProgress: false)
        request.fitMemorySlack = 0
        let full = SyntheticModelFactory.planInput(layout: layout, distinctLayers: 6, request: request)
        let others = MemoryPlanner.kvCacheBytes(full, context: 256) + MemoryPlanner.activationBytes(full, context: 256)
            + MemoryPlanner.scratchBytes(full)
        // Room for the non-block tensors and 3.5 blocks.
        let available = others + full.nonLayerWeightBytes! + 7 * full.layerWeightBytes! / 2
        let planner = MemoryPlanner(headroomBytes: 0) { SystemMemory(available: available, total: available) }
        let decision = try SyntheticModelFactory.decide(request, planner: planner,
                                                        cache: { LastLevelCache(level: 3, bytes: 1) })
        #expect(decision.aliasing.distinctLayers == 3 && decision.plan.fits)
        // Asking for one block of slack drops to 2 blocks (3 leave only half a block free).
        var slack = request
        slack.fitMemorySlack = full.layerWeightBytes!
        let slackDecision = try SyntheticModelFactory.decide(slack, planner: planner, cache: { LastLevelCache(level: 3, bytes: 1) })
        #expect(slackDecision.aliasing.distinctLayers == 2 && slackDecision.plan.slack >= full.layerWeightBytes!)

        // Without --fit-memory the same budget refuses, naming the sizes and the options.
        var plain = request
        plain.fitMemory = false
        do {
            _ = try SyntheticModelFactory.decide(plain, planner: planner, cache: { LastLevelCache(level: 3, bytes: 1) })
            Issue.record("a model larger than the budget was accepted")
        } catch let SyntheticError.doesNotFit(text) {
            #expect(text.contains("GiB") && text.contains("--fit-memory") && text.contains("--alias-layers 3"))
        }
        // An honest-aliasing failure surfaces before any allocation.
        #expect(throws: SyntheticError.self) {
            try SyntheticModelFactory.decide(request, planner: planner,
                                             cache: { LastLevelCache(level: 3, bytes: 1 << 30) })
        }
    }

    @Test func lastLevelCacheFromSysfsTree() throws {
        let dir = try TemporaryDirectory()
        let entries: [(String, String, String, String)] = [
            ("index0", "1", "Data", "48K"), ("index1", "1", "Instruction", "32K"),
            ("index2", "2", "Unified", "2048K"), ("index3", "3", "Unified", "266240K"),
        ]
        for (name, level, type, size) in entries {
            let base = dir.file(name)
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            try "\(level)\n".write(toFile: base + "/level", atomically: true, encoding: .utf8)
            try "\(type)\n".write(toFile: base + "/type", atomically: true, encoding: .utf8)
            try "\(size)\n".write(toFile: base + "/size", atomically: true, encoding: .utf8)
        }
        #expect(try LastLevelCache.read(directory: dir.path) == LastLevelCache(level: 3, bytes: 266_240 << 10))
        #expect(LastLevelCache.parseSize("32M") == 32 << 20 && LastLevelCache.parseSize("x") == nil)
        #expect(throws: SyntheticError.self) { try LastLevelCache.read(directory: dir.file("none")) }
        let live = try LastLevelCache.read()
        #expect(live.bytes > 0 && live.level >= 1)
    }
}
