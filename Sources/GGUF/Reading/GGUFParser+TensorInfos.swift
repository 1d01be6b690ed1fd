/// The tensor-info half of the parser: raw infos, the type-id dialect, sizes, alignment,
/// bounds and overlap (FORMATS.md 1.3-1.4).
extension GGUFParser {
    mutating func readRawTensorInfos(count: Int) throws -> [RawTensorInfo] {
        chargedElements += count
        var infos: [RawTensorInfo] = []
        infos.reserveCapacity(count)
        var firstIndex: [String: Int] = [:]
        for t in 0..<count {
            let nameOffset = position
            let name = try readString(field: "tensor[\(t)].name")
            if let first = firstIndex[name] {
                throw failure(.duplicateTensorName, "tensor[\(t)].name \"\(name)\"", at: nameOffset,
                              "a name not seen before, found a repeat of tensor[\(first)]")
            }
            firstIndex[name] = t
            let dimsOffset = position
            let dimensionCount = try readInteger(UInt32.self, field: "tensor[\(t)].n_dims")
            guard dimensionCount <= 4 else {
                throw failure(.invalidShape, "tensor[\(t)].n_dims", at: dimsOffset, "at most 4 dimensions, found \(dimensionCount)")
            }
            chargedElements += Int(dimensionCount)
            var shape: [Int] = []
            shape.reserveCapacity(Int(dimensionCount))
            var elementCount = 1
            for d in 0..<Int(dimensionCount) {
                let dimOffset = position
                let dim64 = try readInteger(UInt64.self, field: "tensor[\(t)].ne[\(d)]")
                guard let dim = Int(exactly: dim64) else {
                    throw failure(.invalidShape, "tensor[\(t)].ne[\(d)]", at: dimOffset,
                                  "a dimension below 2^63, found \(dim64)")
                }
                let (product, overflow) = elementCount.multipliedReportingOverflow(by: dim)
                if overflow {
                    throw failure(.elementCountOverflow, "tensor[\(t)].ne[\(d)]", at: dimOffset,
                                  "an element count below 2^63, but \(shape + [dim]) overflows")
                }
                elementCount = product
                shape.append(dim)
            }
            let typeOffset = position
            let typeID = try readInteger(UInt32.self, field: "tensor[\(t)].type")
            let offsetOffset = position
            let offset64 = try readInteger(UInt64.self, field: "tensor[\(t)].offset")
            guard let offset = Int(exactly: offset64) else {
                throw failure(.tensorOutOfBounds, "tensor[\(t)].offset", at: offsetOffset,
                              "an offset inside the file (\(bytes.count) bytes), found \(offset64)")
            }
            infos.append(RawTensorInfo(name: name, shape: shape, elementCount: elementCount, typeID: typeID,
                                       typeFieldOffset: typeOffset, offset: offset, offsetFieldOffset: offsetOffset))
        }
        return infos
    }

    /// Chooses how to read type id 39 (FORMATS.md 1.4), using the stored offsets' gaps.
    func decideDialect(_ raw: [RawTensorInfo], metadata: GGUFMetadata, dataSize: Int,
                               alignment: Int) -> GGMLTypeDialectDecision {
        let ids = raw.map(\.typeID)
        guard ids.contains(where: { $0 >= 36 }) else {
            return GGMLTypeDialectDecision(dialect: .upstream, reason: "no tensor uses a type id of 36 or more")
        }
        let offsets = Set(raw.map(\.offset)).sorted()
        // The gap from a blob's offset to the next stored offset (or the end of the file).
        func gap(after offset: Int) -> Int {
            var low = 0, high = offsets.count
            while low < high {
                let mid = (low + high) / 2
                if offsets[mid] <= offset { low = mid + 1 } else { high = mid }
            }
            return low < offsets.count ? offsets[low] - offset : dataSize - offset
        }
        let ambiguous = raw.filter { $0.typeID == 39 }
        return GGMLTypeDialectDecision.decide(
            architecture: metadata.architecture,
            fileType: metadata.int("general.file_type"),
            typeIDs: ids,
            sizeFits: { type in
                ambiguous.allSatisfy { info in
                    guard let size = type.byteCount(shape: info.shape.isEmpty ? [1] : info.shape) else { return false }
                    // Writers pad each blob to the alignment, so a fitting size leaves less than that.
                    let gap = gap(after: info.offset)
                    return size <= gap && gap - size < alignment
                }
            })
    }

    func resolveTensorInfos(_ raw: [RawTensorInfo], dialect: GGMLTypeDialect, alignment: Int,
                                    dataOffset: Int, dataSize: Int) throws -> [GGUFTensorInfo] {
        var infos: [GGUFTensorInfo] = []
        infos.reserveCapacity(raw.count)
        for (t, info) in raw.enumerated() {
            guard let type = GGMLType(id: info.typeID, dialect: dialect) else {
                throw failure(.unknownTensorType, "tensor[\(t)].type", at: info.typeFieldOffset,
                              "a known ggml type id (0-3, 6-41), found \(info.typeID)")
            }
            let sizingShape = info.shape.isEmpty ? [1] : info.shape
            guard let byteCount = type.byteCount(shape: sizingShape) else {
                throw failure(sizeFailureKind(type, sizingShape), "tensor[\(t)] \"\(info.name)\" shape",
                              at: info.typeFieldOffset, sizeFailureExpectation(type, sizingShape))
            }
            guard info.offset % alignment == 0 else {
                throw failure(.misalignedOffset, "tensor[\(t)].offset", at: info.offsetFieldOffset,
                              "a multiple of the alignment \(alignment), found \(info.offset)")
            }
            guard info.offset <= dataSize, byteCount <= dataSize - info.offset else {
                let start = dataOffset + info.offset
                let (end, overflow) = start.addingReportingOverflow(byteCount)
                let range = overflow ? "from byte \(start), \(byteCount) bytes" : "bytes [\(start), \(end))"
                throw failure(.tensorOutOfBounds, "tensor[\(t)].offset", at: info.offsetFieldOffset,
                              "\(type) data \(range) inside the file (\(bytes.count) bytes); truncated file?")
            }
            infos.append(GGUFTensorInfo(name: info.name, shape: info.shape, type: type, offset: info.offset,
                                        byteCount: byteCount, elementCount: info.elementCount))
        }
        return infos
    }

    private func sizeFailureKind(_ type: GGMLType, _ shape: [Int]) -> GGUFError.Kind {
        if type.blockSize > 1 && shape[0] % type.blockSize != 0 { return .invalidShape }
        if type == .tl2 { return .invalidShape }
        return .elementCountOverflow
    }

    private func sizeFailureExpectation(_ type: GGMLType, _ shape: [Int]) -> String {
        if type.blockSize > 1 && shape[0] % type.blockSize != 0 {
            return "ne0 a multiple of the \(type) block size \(type.blockSize), found shape \(shape)"
        }
        if type == .tl2 {
            return "a TL2 matrix with at least 2 dims and K >= 256, found shape \(shape)"
        }
        return "a \(type) byte size below 2^63, but shape \(shape) overflows"
    }

    /// Tensor data ranges must not share bytes (zero-byte tensors share nothing).
    func checkNoOverlap(_ infos: [GGUFTensorInfo], raw: [RawTensorInfo], dataOffset: Int) throws {
        let order = infos.indices.filter { infos[$0].byteCount > 0 }.sorted { infos[$0].offset < infos[$1].offset }
        var previous: Int?
        for t in order {
            if let p = previous, infos[t].offset < infos[p].offset + infos[p].byteCount {
                throw failure(.tensorOverlap, "tensor[\(t)].offset", at: raw[t].offsetFieldOffset,
                              "data starting at or after byte \(dataOffset + infos[p].offset + infos[p].byteCount) (the end of tensor[\(p)] \"\(infos[p].name)\"), found \(dataOffset + infos[t].offset)")
            }
            if previous == nil || infos[t].offset + infos[t].byteCount > infos[previous!].offset + infos[previous!].byteCount {
                previous = t
            }
        }
    }
}
