import GGUF

/// Our metadata values in the tagged JSON form the Python helpers print ("i:5", "f:0.1", "s:x",
/// bools as bools, arrays as lists), so both sides compare without float or 64-bit surprises.
enum TaggedValue {
    /// `value` tagged; `flatten` joins nested arrays into one list, as gguf-py's reader does.
    static func of(_ value: GGUFValue, flatten: Bool) -> Any {
        switch value {
        case .bool(let b): return b
        case .string(let s): return "s:" + s
        case .float32(let f): return "f:\(Double(f))"
        case .float64(let d): return "f:\(d)"
        case .array(_, let values):
            if flatten {
                var out: [Any] = []
                for v in values {
                    let t = of(v, flatten: true)
                    if let list = t as? [Any] { out += list } else { out.append(t) }
                }
                return out
            }
            return values.map { of($0, flatten: false) }
        case .uint64(let v): return "i:\(v)"
        default: return "i:\(value.intValue!)"
        }
    }

    /// gguf-py's `field.types`: the value type, then (for arrays) the first element's types.
    static func typeNames(_ value: GGUFValue) -> [String] {
        guard case .array(let elementType, let values) = value else { return [value.type.description] }
        if elementType == .array, let first = values.first { return ["ARRAY"] + typeNames(first) }
        return ["ARRAY", elementType.description]
    }

    /// Equality of two tagged values; "f:" numbers compare as Doubles.
    static func same(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? [Any], let y = b as? [Any] {
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        }
        if let x = a as? Bool, let y = b as? Bool { return x == y }
        if let x = a as? String, let y = b as? String {
            if x.hasPrefix("f:") && y.hasPrefix("f:") {
                let dx = Double(x.dropFirst(2)), dy = Double(y.dropFirst(2))
                return dx != nil && dx == dy
            }
            return x == y
        }
        return false
    }
}
