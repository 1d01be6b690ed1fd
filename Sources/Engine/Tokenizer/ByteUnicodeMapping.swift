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
        byteForScalar[scalar.value]
    }

    private static let byteForScalar: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (byte, scalar) in scalarForByte.enumerated() { map[scalar.value] = UInt8(byte) }
        return map
    }()

    /// The vocabulary spelling of a byte string: each byte replaced by its code point.
    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(scalarForByte[Int(byte)]) }
        return String(scalars)
    }
}
