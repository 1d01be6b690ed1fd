/// A 1.58-bit format: weights are trits w ∈ {-1, 0, +1} times a scale. Besides the float
/// conversions of `WeightFormat`, it packs and unpacks trits directly, so synthetic models can be
/// written straight into the packed bytes, a slice of rows at a time.
public protocol TernaryWeightFormat: WeightFormat {
    /// Row slices given to `packTernary` must start and end on multiples of this (1, or BM for
    /// TL1/TL2, whose tiles interleave BM rows).
    func ternaryRowGranularity(rows: Int, columns: Int, parameters: FormatParameters) -> Int

    /// Packs the trits of rows `rowRange` (`rowRange.count * columns` values in {-1, 0, 1},
    /// row-major) into their place in the whole-tensor `blob`, and writes the scale: the trailer of
    /// I2_S/TL1/TL2 or the block scales of TQ1_0/TQ2_0 (fp16(scale), 0 for an all-zero block, as
    /// llama-quantize writes them). Each call also writes the trailer and padding, so calls for
    /// disjoint row slices may run concurrently and together define every byte of the blob.
    func packTernary(_ trits: UnsafeBufferPointer<Int8>, rowRange: Range<Int>, rows: Int, columns: Int,
                     scale: Float, parameters: FormatParameters, into blob: UnsafeMutableRawBufferPointer) throws

    /// Unpacks every trit (row-major) and the tensor's scale. For TQ1_0/TQ2_0 the scale is the
    /// common value of the nonzero block scales (an error if they differ); all-zero blocks give 0 trits.
    func unpackTernary(_ blob: UnsafeRawBufferPointer, rows: Int, columns: Int,
                       parameters: FormatParameters) throws -> (trits: [Int8], scale: Float)
}

/// Internal checks shared by the ternary formats.
extension WeightFormat {
    /// Throws unless the blob holds at least `byteCount` bytes.
    func requireBlob(_ count: Int, rows: Int, columns: Int, parameters: FormatParameters) throws {
        let expected = byteCount(rows: rows, columns: columns, parameters: parameters)
        guard count >= expected else { throw KernelError.blobSize(format: id, expected: expected, actual: count) }
    }

    /// Throws unless `count` elements cover `needed`.
    func requireCount(_ count: Int, _ needed: Int, _ what: String) throws {
        guard count >= needed else {
            throw KernelError.invalidData(format: id, reason: "\(what) holds \(count) values, expected \(needed)")
        }
    }

    /// Throws unless every value is -1, 0 or 1.
    func requireTrits(_ trits: UnsafeBufferPointer<Int8>) throws {
        for (i, t) in trits.enumerated() where t < -1 || t > 1 {
            throw KernelError.invalidData(format: id, reason: "trit \(i) is \(t); expected -1, 0 or 1")
        }
    }

    /// Throws unless the scale is finite and not negative.
    func requireScale(_ scale: Float) throws {
        guard scale.isFinite, scale >= 0 else {
            throw KernelError.invalidData(format: id, reason: "scale \(scale) must be finite and >= 0")
        }
    }

    /// Throws unless `rowRange` lies in 0..<rows and is aligned to `granularity` (the end may be `rows`).
    func requireRowRange(_ rowRange: Range<Int>, rows: Int, granularity: Int, tritCount: Int, columns: Int) throws {
        guard rowRange.lowerBound >= 0, rowRange.upperBound <= rows else {
            throw KernelError.invalidData(format: id, reason: "row range \(rowRange) is outside 0..<\(rows)")
        }
        guard rowRange.lowerBound % granularity == 0,
              rowRange.upperBound % granularity == 0 || rowRange.upperBound == rows else {
            throw KernelError.invalidData(format: id, reason: "row range \(rowRange) must be aligned to \(granularity) rows")
        }
        try requireCount(tritCount, rowRange.count * columns, "the trit buffer")
    }
}

/// Little-endian scalar access to blob bytes (GGUF is little-endian; loads need no alignment).
extension UnsafeRawBufferPointer {
    @inline(__always) func float32(at offset: Int) -> Float {
        Float(bitPattern: UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
    }
    @inline(__always) func float16(at offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
    }
}

extension UnsafeMutableRawBufferPointer {
    @inline(__always) func storeFloat32(_ value: Float, at offset: Int) {
        storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset, as: UInt32.self)
    }
    @inline(__always) func storeFloat16(_ value: Float, at offset: Int) {
        storeBytes(of: Float16(value).bitPattern.littleEndian, toByteOffset: offset, as: UInt16.self)
    }
    /// Zeroes bytes `range`.
    @inline(__always) func zero(_ range: Range<Int>) {
        guard !range.isEmpty, let base = baseAddress else { return }
        (base + range.lowerBound).initializeMemory(as: UInt8.self, repeating: 0, count: range.count)
    }
}
