/// A results file that cannot be read: the file, the line (JSONL) and field, what was expected
/// and what was found.
public struct ResultFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file.
    public var file: String
    /// 1-based line, when the file is JSONL (nil for a whole-file problem).
    public var line: Int?
    /// The field, when one field is at fault.
    public var field: String?
    /// What is wrong.
    public var problem: String

    /// Makes an error.
    public init(file: String, line: Int? = nil, field: String? = nil, problem: String) {
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let field { place += ": field '\(field)'" }
        return place + ": " + problem
    }
}
