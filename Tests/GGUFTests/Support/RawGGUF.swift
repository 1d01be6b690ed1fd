import GGUF

/// Builds GGUF byte images field by field, so tests can make files that our writer would refuse:
/// wrong counts, lengths, offsets, types. Little-endian throughout (FORMATS.md 1.1).
struct RawGGUF {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        u64(UInt64(s.utf8.count))
        bytes.append(contentsOf: Array(s.utf8))
    }

    /// magic, version, tensor count, kv count.
    mutating func header(version: UInt32 = 3, tensors: UInt64, kvs: UInt64, magic: [UInt8] = Array("GGUF".utf8)) {
        bytes.append(contentsOf: magic)
        u32(version)
        u64(tensors)
        u64(kvs)
    }

    /// A key with a u32 value.
    mutating func kvU32(_ key: String, _ v: UInt32) {
        string(key)
        u32(GGUFValueType.uint32.rawValue)
        u32(v)
    }

    /// A key with a string value.
    mutating func kvString(_ key: String, _ v: String) {
        string(key)
        u32(GGUFValueType.string.rawValue)
        string(v)
    }

    /// A tensor info: name, dims (ne0 first), type id, offset.
    mutating func tensorInfo(_ name: String, _ dims: [UInt64], type: UInt32, offset: UInt64) {
        string(name)
        u32(UInt32(dims.count))
        for d in dims { u64(d) }
        u32(type)
        u64(offset)
    }

    /// Zero bytes up to the next multiple of `alignment`.
    mutating func pad(to alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// `count` bytes of a simple pattern.
    mutating func data(_ count: Int) {
        for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: i &* 31 &+ 7)) }
    }

    /// Parses the image with the public in-memory reader.
    func open(_ label: String = "test.gguf") throws -> GGUFFile {
        try bytes.withUnsafeBytes { try GGUFFile(bytes: $0, label: label) }
    }

    /// The error reading the image gives; nil if it reads.
    func error(_ label: String = "test.gguf") -> GGUFError? {
        do {
            _ = try open(label)
            return nil
        } catch let error as GGUFError {
            return error
        } catch {
            return GGUFError(.systemCall, file: label, field: "unexpected error type", offset: nil,
                             expected: "\(error)")
        }
    }
}
