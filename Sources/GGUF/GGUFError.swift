/// A GGUF file that cannot be read or written: names the file, the field, the byte offset and
/// what was expected, e.g. `m.gguf: tensor[3].offset at byte 1234: a multiple of 32, found 1240`.
public struct GGUFError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The failure class, so callers and tests can tell the cases apart.
    public enum Kind: String, Sendable, CaseIterable {
        /// A fixed-size field runs past the end of the file.
        case truncated
        /// The first four bytes are not "GGUF".
        case badMagic
        /// A version other than 2 or 3.
        case unsupportedVersion
        /// A string length or array count larger than the bytes left in the file.
        case lengthPastEnd
        /// An unknown metadata value type tag.
        case unknownValueType
        /// A value outside its allowed set (bool not 0/1, alignment not a power of two, ...).
        case invalidValue
        /// A ggml tensor type id this reader does not know.
        case unknownTensorType
        /// A shape the type cannot hold (too many dims, a dim too large, a partial block).
        case invalidShape
        /// The product of the dims overflows.
        case elementCountOverflow
        /// A tensor's bytes lie (partly) outside the data section.
        case tensorOutOfBounds
        /// Two tensors' bytes overlap.
        case tensorOverlap
        /// A tensor offset that is not a multiple of the alignment.
        case misalignedOffset
        /// The same metadata key twice.
        case duplicateKey
        /// The same tensor name twice.
        case duplicateTensorName
        /// A system call failed (open, mmap, write, fsync, rename, ...).
        case systemCall
        /// The writer was used out of order or given inconsistent sizes.
        case writerMisuse
    }

    /// The failure class.
    public var kind: Kind
    /// The file's path (or a label for an in-memory buffer).
    public var file: String
    /// The field, e.g. `tensor[3].offset` or `kv[12] "tokenizer.ggml.tokens" array count`.
    public var field: String
    /// The absolute byte offset of the field in the file, when it has one.
    public var offset: Int?
    /// What was expected and what was found.
    public var expected: String
    /// The errno of a failed system call.
    public var errno: Int32?

    public init(_ kind: Kind, file: String, field: String, offset: Int?, expected: String, errno: Int32? = nil) {
        self.kind = kind
        self.file = file
        self.field = field
        self.offset = offset
        self.expected = expected
        self.errno = errno
    }

    /// Wraps a failed system call.
    init(_ error: SystemCallError, field: String? = nil, offset: Int? = nil) {
        self.init(.systemCall, file: error.path, field: field ?? error.operation, offset: offset,
                  expected: "\(error.reason) (errno \(error.errno))", errno: error.errno)
    }

    /// `<file>: <field> at byte <offset>: <what was expected>`.
    public var description: String {
        if let offset {
            return "\(file): \(field) at byte \(offset): \(expected)"
        }
        return "\(file): \(field): \(expected)"
    }
}
