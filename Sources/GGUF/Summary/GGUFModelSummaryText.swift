extension GGUFModelSummary {
    /// The human-readable form printed by `bitbench model info -o text`.
    public func textReport() -> String {
        var lines: [String] = []
        let f = file
        lines.append("file          \(f.path)")
        lines.append("              GGUF v\(f.version), \(Self.bytes(f.sizeBytes)), alignment \(f.alignment), data section at byte \(Self.grouped(f.dataOffset))")
        var counts = "              \(f.keyValueCount) metadata keys, \(f.tensorCount) tensors"
        if tensors.byType.contains(where: { $0.typeID >= 36 }) {
            counts += "; type ids read as \(f.typeIDDialect) (\(f.typeIDDialectReason))"
        }
        lines.append(counts)

        let a = architecture
        var archLine = "architecture  \(a.name ?? "(general.architecture missing)")"
        if let name = a.modelName { archLine += "  \"\(name)\"" }
        if let fileType = a.fileType { archLine += "  file_type \(fileType)" }
        lines.append(archLine)
        let width = a.hyperparameters.keys.map(\.count).max() ?? 0
        for key in a.hyperparameters.keys.sorted() {
            lines.append("              \(key.padding(width))  \(a.hyperparameters[key]!)")
        }

        lines.append("tensors       \(tensors.count) tensors, \(Self.bytes(tensors.bytes)), \(Self.grouped(tensors.parameterCount)) parameters")
        let typeWidth = max(4, tensors.byType.map(\.type.count).max() ?? 0)
        lines.append("              \("type".padding(typeWidth))  \("count".leftPadding(6))  \("bytes".leftPadding(14))  \("elements".leftPadding(14))  \("bits/weight".leftPadding(11))")
        for usage in tensors.byType {
            let bpw = usage.elements > 0 ? Self.fixed(Double(usage.bytes) * 8 / Double(usage.elements), 3) : "-"
            lines.append("              \(usage.type.padding(typeWidth))  \(String(usage.tensorCount).leftPadding(6))  \(Self.grouped(usage.bytes).leftPadding(14))  \(Self.grouped(usage.elements).leftPadding(14))  \(bpw.leftPadding(11))")
        }

        let b = bitsPerWeight
        let linear = b.linearLayers.map { "\(Self.fixed($0, 3)) over \(b.linearTensorCount) linear tensors (\(Self.grouped(b.linearParameterCount)) weights)" }
            ?? "no linear layers"
        lines.append("bits/weight   linear layers \(linear)")
        lines.append("              all tensors \(b.allTensors.map { Self.fixed($0, 3) } ?? "-"), whole file \(b.wholeFile.map { Self.fixed($0, 3) } ?? "-")")

        let t = tokenizer
        if t.model == nil && t.vocabularySize == nil {
            lines.append("tokenizer     none in the metadata")
        } else {
            var line = "tokenizer     \(t.model ?? "?")"
            if let pre = t.preTokenizer { line += " (pre-tokenizer \(pre))" }
            line += ", vocabulary \(t.vocabularySize.map(String.init) ?? "?")"
            if let merges = t.mergeCount { line += ", \(merges) merges" }
            if let bos = t.bosTokenID { line += ", bos \(bos)" }
            if let eos = t.eosTokenID { line += ", eos \(eos)" }
            line += t.hasChatTemplate ? ", chat template" : ", no chat template"
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    static func bytes(_ n: Int) -> String {
        let mib = Double(n) / 1_048_576
        return "\(grouped(n)) bytes (\(fixed(mib, 1)) MiB)"
    }

    /// `value` with `places` decimals, rounded half away from zero, without Foundation.
    static func fixed(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var fractionText = String(fraction)
        while fractionText.count < places { fractionText = "0" + fractionText }
        return (value < 0 ? "-" : "") + "\(whole)" + (places > 0 ? "." + fractionText : "")
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPadding(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
