/// A 64-byte aligned byte buffer owned by one product (encoded activations); freed on deinit.
final class AlignedScratch: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 64), alignment: 64)
    }

    deinit { pointer.deallocate() }
}
