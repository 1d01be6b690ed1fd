/// Errors of synthetic model building, each naming the flag, field or file and what was expected.
public enum SyntheticError: Error, CustomStringConvertible, Equatable {
    case unknownPreset(String, known: [String])
    case invalidValue(field: String, value: String, expected: String)
    case unsupportedShape(type: String, tensor: String, rows: Int, columns: Int, reason: String)
    case shapeFile(path: String, reason: String)
    case aliasing(String)
    case doesNotFit(String)
    case insufficientDiskSpace(path: String, needed: Int, available: Int)
    case system(operation: String, path: String, errno: Int32, message: String)

    /// A one-line message for users.
    public var description: String {
        switch self {
        case let .unknownPreset(name, known):
            return "unknown preset '\(name)': expected one of \(known.joined(separator: ", "))"
        case let .invalidValue(field, value, expected):
            return "\(field) = \(value): expected \(expected)"
        case let .unsupportedShape(type, tensor, rows, columns, reason):
            return "--type \(type) cannot hold \(tensor) (\(rows)x\(columns)): \(reason)"
        case let .shapeFile(path, reason):
            return "shape file \(path): \(reason)"
        case let .aliasing(text), let .doesNotFit(text):
            return text
        case let .insufficientDiskSpace(path, needed, available):
            return "not enough disk space for \(path): needs \(needed) bytes (\(Self.gib(needed))), "
                + "\(available) bytes (\(Self.gib(available))) available"
        case let .system(operation, path, code, message):
            return "\(operation) \(path) failed: \(message) (errno \(code))"
        }
    }

    private static func gib(_ bytes: Int) -> String {
        let hundredths = (Double(bytes) / Double(1 << 30) * 100).rounded() / 100
        return "\(hundredths) GiB"
    }
}
