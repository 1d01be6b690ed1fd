import GGUF

/// Typed lookups of one architecture's metadata keys, with errors that name the key.
struct MetadataReader {
    let metadata: GGUFMetadata
    let prefix: String

    /// The full key for a suffix: `bitnet.block_count` for `block_count`.
    func key(_ suffix: String) -> String { "\(prefix).\(suffix)" }

    /// A required positive integer.
    func positiveInt(_ suffix: String) throws -> Int {
        guard let value = try optionalInt(suffix) else { throw ModelError.missingKey(key(suffix)) }
        return value
    }

    /// An optional positive integer; present but malformed is an error, not a default.
    func optionalInt(_ suffix: String) throws -> Int? {
        let name = key(suffix)
        guard let value = metadata[name] else { return nil }
        guard let int = value.intValue, int > 0 else {
            throw ModelError.invalidKey(key: name, value: "\(value)", expected: "a positive integer")
        }
        return int
    }

    /// An optional finite float; present but malformed is an error.
    func optionalFloat(_ suffix: String) throws -> Float? {
        let name = key(suffix)
        guard let value = metadata[name] else { return nil }
        guard let double = value.doubleValue, double.isFinite else {
            throw ModelError.invalidKey(key: name, value: "\(value)", expected: "a finite number")
        }
        return Float(double)
    }

    /// An optional string.
    func optionalString(_ suffix: String) throws -> String? {
        let name = key(suffix)
        guard let value = metadata[name] else { return nil }
        guard let string = value.stringValue else {
            throw ModelError.invalidKey(key: name, value: "\(value)", expected: "a string")
        }
        return string
    }
}
