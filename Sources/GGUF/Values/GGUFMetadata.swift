/// The ordered key/value list of a GGUF file, with O(1) lookup by key.
/// Keys are unique: setting an existing key replaces its value in place.
public struct GGUFMetadata: Sendable, Equatable {
    private var entries: [(key: String, value: GGUFValue)]
    private var index: [String: Int]

    /// Equal when the same keys hold the same values in the same order.
    public static func == (lhs: GGUFMetadata, rhs: GGUFMetadata) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// Builds the list in the given order; a repeated key keeps its last value at its first place.
    public init(_ entries: [(String, GGUFValue)] = []) {
        self.entries = []
        self.index = [:]
        self.entries.reserveCapacity(entries.count)
        for (key, value) in entries { self[key] = value }
    }

    /// The keys in file order.
    public var keys: [String] { entries.map(\.key) }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The entries in file order.
    public var orderedEntries: [(key: String, value: GGUFValue)] { entries }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { index[key] != nil }

    /// The value of `key`; assigning nil removes it.
    public subscript(key: String) -> GGUFValue? {
        get { index[key].map { entries[$0].value } }
        set {
            if let position = index[key] {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    entries.remove(at: position)
                    index[key] = nil
                    for i in position..<entries.count { index[entries[i].key] = i }
                }
            } else if let newValue {
                index[key] = entries.count
                entries.append((key, newValue))
            }
        }
    }

    /// Adds a key that must not exist yet; returns false (and changes nothing) if it does.
    /// The reader uses this to detect duplicate keys without a second lookup.
    @discardableResult
    public mutating func insertNew(_ key: String, _ value: GGUFValue) -> Bool {
        guard index[key] == nil else { return false }
        index[key] = entries.count
        entries.append((key, value))
        return true
    }

    // Typed accessors for the common cases.

    /// An integer value (any integer type that fits Int).
    public func int(_ key: String) -> Int? { self[key]?.intValue }
    /// A numeric value as Double.
    public func double(_ key: String) -> Double? { self[key]?.doubleValue }
    /// A string value.
    public func string(_ key: String) -> String? { self[key]?.stringValue }
    /// A bool value.
    public func bool(_ key: String) -> Bool? { self[key]?.boolValue }

    /// `general.architecture`, e.g. "llama" or "bitnet-b1.58".
    public var architecture: String? { string("general.architecture") }
}
