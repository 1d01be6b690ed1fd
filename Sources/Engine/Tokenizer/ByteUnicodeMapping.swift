/// GPT-2's reversible map between bytes and printable code points, used by byte-level BPE
/// vocabularies: bytes `!`..`~`, `¡`..`¬` and `®`..`ÿ` map to themselves, the other 68 bytes
/// to U+0100 upward in byte order (GPT-2 encoder.py `bytes_to_unicode`; llama.cpp unicode.cpp).
enum ByteUnicodeMapping {
    /// The code point standing for each byte.
    static let scalarForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte) {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte a mapped code point stands for, or nil for code points outside the map.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < byteForScalar.count else { return nil }
        let byte = byteForScalar[value]
        return byte < 0 ? nil : UInt8(byte)
    }

    /// Indexed by code point (all mapped code points are below U+0144); -1 for unmapped ones.
    private static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    /// The UTF-8 of each byte's code point.
    static let utf8ForByte: [[UInt8]] = scalarForByte.map { Array(String($0).utf8) }

    /// The UTF-8 of the vocabulary spelling of a byte string.
    static func encodeUTF8<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
        var result: [UInt8] = []
        for byte in bytes { result.append(contentsOf: utf8ForByte[Int(byte)]) }
        return result
    }

    /// The vocabulary spelling of a byte string: each byte replaced by its code point.
    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(scalarForByte[Int(byte)]) }
        return String(scalars)
    }
}
