/// Reads the body of a Jinja (Python-style) string literal: backslash escapes become the
/// characters they stand for. Returns nil when the text holds an unescaped quote, i.e. it is
/// not one literal but template code around literals.
enum JinjaStringLiteral {
    static func unescape(_ body: Substring) -> String? {
        var result = ""
        var iterator = body.makeIterator()
        while let character = iterator.next() {
            switch character {
            case "'", "\"":
                return nil
            case "\\":
                guard let escaped = iterator.next() else { return nil }
                switch escaped {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                case "\\", "'", "\"": result.append(escaped)
                default: result.append("\\"); result.append(escaped)
                }
            default:
                result.append(character)
            }
        }
        return result
    }
}
