import CKernels
import Kernels

/// Measures this machine's memory read bandwidth with a STREAM-style read (AVX2 or portable C):
/// the workers of a pool each sum their slice of a chunk of a buffer far larger than the
/// last-level cache, moving through the buffer so every chunk comes from DRAM.
final class BandwidthProbe: @unchecked Sendable {
    private let buffer: LargeBuffer
    private let useAVX2: Bool
    private var offset = 0
    /// Per-worker sums, written so the reads cannot be optimized away.
    private let sink = UnsafeMutablePointer<Float>.allocate(capacity: 64)

    /// `bytes` of probe buffer (a multiple of 4×LLC in practice).
    init(bytes: Int, path: KernelPath) throws {
        buffer = try LargeBuffer(byteCount: bytes, fill: 0x3c)  // 0x3c3c3c3c: a normal float
        useAVX2 = path.usesAVX2Kernels
        sink.initialize(repeating: 0, count: 64)
    }

    deinit { sink.deallocate() }

    var byteCount: Int { buffer.byteCount }

    /// Reads the next `bytes` (rounded down to whole floats, at most the buffer) with the pool and
    /// returns the elapsed nanoseconds.
    func timeRead(bytes: Int, pool: WorkerPool) -> Double {
        let floats = min(bytes, buffer.byteCount) / 4
        if (offset + floats) * 4 > buffer.byteCount { offset = 0 }
        let start = buffer.pointer.assumingMemoryBound(to: Float.self) + offset
        offset += floats
        let avx2 = useAVX2, sink = self.sink
        return MonotonicClock.time {
            pool.parallelFor(floats, granularity: 16) { range, worker in
                let sum = avx2 ? bb_read_sum_avx2(start + range.lowerBound, range.count)
                               : bb_read_sum_portable(start + range.lowerBound, range.count)
                sink[worker % 64] += sum
            }
        }
    }
}
