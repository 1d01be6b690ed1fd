/// Why a model could not be loaded or run; each case names the key, tensor or limit involved.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    case unknownArchitecture(String)
    case missingKey(String)
    case invalidKey(key: String, value: String, expected: String)
    case missingTensor(String)
    case tensorShape(name: String, expected: [Int], actual: [Int])
    case unsupportedTensorType(name: String, type: String, role: String)
    case tensorData(name: String, reason: String)
    case contextTooLong(requested: Int, limit: Int)
    case contextFull(needed: Int, capacity: Int)
    case tokenOutOfRange(token: Int, vocabularySize: Int)
    case invalidOption(String)
    case insufficientMemory(String)

    /// A one-line message for users.
    public var description: String {
        switch self {
        case let .unknownArchitecture(name):
            let known = ModelArchitecture.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown model architecture '\(name)' in general.architecture (known: \(known))"
        case let .missingKey(key):
            return "metadata key '\(key)' is missing"
        case let .invalidKey(key, value, expected):
            return "metadata key '\(key)' is \(value), expected \(expected)"
        case let .missingTensor(name):
            return "tensor '\(name)' is missing"
        case let .tensorShape(name, expected, actual):
            return "tensor '\(name)' has shape \(actual), expected \(expected) (ggml order, ne0 first)"
        case let .unsupportedTensorType(name, type, role):
            return "tensor '\(name)' has type \(type), which the engine cannot use as \(role)"
        case let .tensorData(name, reason):
            return "tensor '\(name)': \(reason)"
        case let .contextTooLong(requested, limit):
            return "context of \(requested) tokens is longer than the model's limit of \(limit) (context_length); use -c \(limit) or less"
        case let .contextFull(needed, capacity):
            return "the context is full: \(needed) positions needed, \(capacity) available (raise -c)"
        case let .tokenOutOfRange(token, vocabularySize):
            return "token id \(token) is outside the vocabulary (0..<\(vocabularySize))"
        case let .invalidOption(message):
            return message
        case let .insufficientMemory(message):
            return message
        }
    }
}
