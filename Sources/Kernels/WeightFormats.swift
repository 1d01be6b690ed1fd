/// The registry of weight formats: tests, the kernel benchmark and the CLI iterate over it.
public enum WeightFormats {
    /// Every format, in display order.
    public static var all: [any WeightFormat] { registered }

    /// The format with this id.
    public static func format(_ id: WeightFormatID) -> any WeightFormat {
        guard let f = registered.first(where: { $0.id == id }) else {
            preconditionFailure("weight format \(id.rawValue) is not registered")
        }
        return f
    }

    // Entries are added as formats land; the ids in WeightFormatID are the complete list.
    private static let registered: [any WeightFormat] = [
        F32Format(), F16Format(), Q8_0Format(), Q4_0Format(), Q4_1Format(),
        I2SFormat(), TL1Format(), TL2Format(), TQ1_0Format(), TQ2_0Format(),
    ]
}
