import Foundation
import GGUF
import Kernels
import TestSupport
import Testing

/// TL1/TL2 tile parameters: bitnet.cpp presets, our GGUF keys, kernel_config.ini files.
@Suite struct TernaryTileConfigurationTests {
    @Test("bitnet.cpp presets, including the 125M shapes the fixtures were built with")
    func presets() throws {
        let presets = TileConfigurationTable.bitnetPresets
        #expect(presets.configuration(for: .tl2, rows: 768, columns: 768) == TileConfiguration(rowsPerTile: 128, kBlock: 96, rowsPerGroup: 32))
        #expect(presets.configuration(for: .tl2, rows: 3072, columns: 768) == TileConfiguration(rowsPerTile: 256, kBlock: 96, rowsPerGroup: 32))
        #expect(presets.configuration(for: .tl2, rows: 1536, columns: 1536) == TileConfiguration(rowsPerTile: 128, kBlock: 192, rowsPerGroup: 32))
        #expect(presets.configuration(for: .tl1, rows: 3200, columns: 3200) == TileConfiguration(rowsPerTile: 320, kBlock: 128, rowsPerGroup: 64))
        #expect(presets.configuration(for: .tl2, rows: 2560, columns: 6912) == nil)
        // Every preset is a valid layout for its format.
        for (key, tile) in presets.entries {
            let format = WeightFormats.format(key.format)
            #expect(throws: Never.self) {
                try format.checkShape(rows: key.rows, columns: key.columns, parameters: FormatParameters(tile: tile))
            }
        }
        let empty = TileConfigurationTable()
        #expect(try empty.parameters(for: .tl2, rows: 768, columns: 3072).tile?.rowsPerTile == 256)
        #expect(try empty.parameters(for: .i2_s, rows: 5, columns: 7) == .none)
        #expect(throws: KernelError.missingTileConfiguration(format: .tl2, rows: 2560, columns: 6912)) {
            try empty.parameters(for: .tl2, rows: 2560, columns: 6912)
        }
        // Generated tilings only on request (for tensors we create), and always valid.
        for (m, k) in [(2560, 6912), (11008, 4096), (4096, 11008), (640, 2560), (6912, 2560)] {
            let generated = try empty.parameters(for: .tl2, rows: m, columns: k, generateMissing: true)
            #expect(throws: Never.self) { try TL2Format().checkShape(rows: m, columns: k, parameters: generated) }
            let tl1 = try empty.parameters(for: .tl1, rows: m, columns: k, generateMissing: true)
            #expect(throws: Never.self) { try TL1Format().checkShape(rows: m, columns: k, parameters: tl1) }
        }
    }

    @Test("our GGUF keys round-trip through metadata; malformed values are refused by key")
    func metadataKeys() throws {
        var table = TileConfigurationTable()
        table.set(TileConfiguration(rowsPerTile: 256, kBlock: 96, rowsPerGroup: 32), for: .tl2, rows: 2560, columns: 6912)
        table.set(TileConfiguration(rowsPerTile: 128, kBlock: 64, rowsPerGroup: 64), for: .tl1, rows: 640, columns: 2560)
        var metadata = GGUFMetadata([("general.architecture", .string("bitnet"))])
        table.store(into: &metadata)
        #expect(metadata.keys.contains("bitbench.tl2.tile.2560x6912"))
        #expect(metadata["bitbench.tl2.tile.2560x6912"] == .array(elementType: .uint32, values: [.uint32(256), .uint32(96), .uint32(32)]))
        let read = try TileConfigurationTable(metadata: metadata)
        #expect(read == table)
        #expect(try read.parameters(for: .tl2, rows: 2560, columns: 6912).tile?.rowsPerTile == 256)
        // The file's own entry wins over a preset.
        var override = TileConfigurationTable()
        override.set(TileConfiguration(rowsPerTile: 64, kBlock: 192, rowsPerGroup: 32), for: .tl2, rows: 768, columns: 768)
        #expect(try override.parameters(for: .tl2, rows: 768, columns: 768).tile?.kBlock == 192)

        for (key, value) in [("bitbench.tl2.tile.2560x", GGUFValue.array(elementType: .uint32, values: [.uint32(1), .uint32(2), .uint32(3)])),
                             ("bitbench.tl2.tile.64x64", .array(elementType: .uint32, values: [.uint32(1), .uint32(2)])),
                             ("bitbench.tl1.tile.64x64", .string("256,96,32"))] {
            let bad = GGUFMetadata([(key, value)])
            #expect(throws: TileConfigurationError.self) { try TileConfigurationTable(metadata: bad) }
            do { _ = try TileConfigurationTable(metadata: bad) } catch let error as TileConfigurationError {
                #expect(error.description.contains(key))
            }
        }
    }

    @Test("kernel_config.ini files as bitnet.cpp's codegen writes them; errors name the file and section")
    func kernelConfigINI() throws {
        let text = """
        [Kernels_0]
        m = 5120
        k = 5120
        bm = 256
        bk = 96
        bmm = 32

        [Kernels_1]
        m = 1024
        k = 5120
        bm = 256
        bk = 96
        bmm = 32
        """
        let directory = try Fixtures.temporaryDirectory("bitbench-tiles")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("kernel_config.ini").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let table = try TileConfigurationTable(kernelConfigINI: path)
        #expect(table.entries.count == 2)
        #expect(table.configuration(for: .tl2, rows: 1024, columns: 5120) == TileConfiguration(rowsPerTile: 256, kBlock: 96, rowsPerGroup: 32))
        // Written back as an ini, it reads the same.
        let again = try TileConfigurationTable(kernelConfigText: table.kernelConfigINI(for: .tl2), source: "round trip")
        #expect(again == table)
        let tl1 = try TileConfigurationTable(kernelConfigINI: path, format: .tl1)
        #expect(tl1.configuration(for: .tl1, rows: 5120, columns: 5120)?.rowsPerGroup == 32)

        let missing = "[Kernels_0]\nm = 64\nk = 64\nbm = 32\nbk = 96\n"
        #expect(throws: TileConfigurationError.self) { try TileConfigurationTable(kernelConfigText: missing, source: "x.ini") }
        do { _ = try TileConfigurationTable(kernelConfigText: missing, source: "x.ini") } catch let error as TileConfigurationError {
            #expect(error.description.contains("x.ini") && error.description.contains("Kernels_0") && error.description.contains("bmm"))
        }
        #expect(throws: TileConfigurationError.self) { try TileConfigurationTable(kernelConfigText: "[Kernels_0]\nm = ten\nk=1\nbm=1\nbk=1\nbmm=1", source: "y") }
        #expect(throws: TileConfigurationError.self) { try TileConfigurationTable(kernelConfigText: "m = 1", source: "z") }
        #expect(throws: TileConfigurationError.self) { try TileConfigurationTable(kernelConfigINI: directory.appendingPathComponent("absent.ini").path) }
    }
}
