import GGUF
import Kernels

extension TileConfigurationTable {
    /// The TL1/TL2 tiles a GGUF file carries under our own keys (`bitbench.tl1.tiles`,
    /// `bitbench.tl2.tiles`); shapes without an entry fall back to bitnet.cpp's presets when the
    /// weights are bound.
    static func stored(in metadata: GGUFMetadata) throws -> TileConfigurationTable {
        var table = TileConfigurationTable()
        for format in [WeightFormatID.tl1, .tl2] {
            let key = metadataKey(for: format)
            guard let value = metadata[key] else { continue }
            guard let strings = value.stringArray else {
                throw ModelError.invalidKey(key: key, value: "\(value)", expected: "an array of \"M,K,BM,BK,bm\" strings")
            }
            do {
                table = table.merging(try TileConfigurationTable(tileStrings: strings, format: format, source: key))
            } catch {
                throw ModelError.invalidKey(key: key, value: "\(strings)", expected: "\"M,K,BM,BK,bm\" strings (\(error))")
            }
        }
        return table
    }
}
