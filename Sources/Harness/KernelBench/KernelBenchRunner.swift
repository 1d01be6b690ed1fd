import Foundation
import Kernels

/// Runs the kernel micro-benchmark: for each shape and format it quantizes one random matrix,
/// copies it into a pool (cold) or keeps one copy (hot), and times the prepared product for every
/// batch and thread count, alongside the memory read bandwidth and the scalar reference.
public final class KernelBenchRunner {
    /// The machine context a run measured, for the report header.
    public struct Context: Sendable {
        /// The kernel path used.
        public var path: KernelPath
        /// Last-level cache size, or why it is unknown.
        public var lastLevelCache: Result<Int, MachineMemoryError>
        /// Bytes of the bandwidth probe buffer and of the cold weight pool target.
        public var coldPoolBytes: Int
        /// Read bandwidth per thread count over the whole probe buffer (GB/s, median).
        public var bandwidthGBps: [Int: Double]
        /// Repetitions of the scalar reference per case (fewer where noted).
        public var scalarRepetitions: Int
        /// The machine's 1-minute load average before and after the run (nil where unreadable).
        public var loadBefore: Double?
        public var loadAfter: Double?
    }

    private let configuration: KernelBenchConfiguration
    private let log: (String) -> Void
    private var pools: [Int: WorkerPool] = [:]

    /// A runner that reports progress through `log` (the CLI sends it to stderr).
    public init(configuration: KernelBenchConfiguration, log: @escaping (String) -> Void) {
        self.configuration = configuration
        self.log = log
    }

    /// Measures every case; returns the records in (shape, format, batch, threads) order.
    public func run() throws -> (records: [KernelBenchRecord], context: Context) {
        let config = configuration
        try config.validate()
        let path = try KernelPath.resolve(config.path)
        let loadBefore = MachineLoad.oneMinute()
        if let loadBefore, loadBefore > 1.5 {
            log(String(format: "warning: the 1-minute load average is %.1f; other processes will disturb the timings", loadBefore))
        }
        var formats = config.formats
        if !formats.contains(.f16) {
            formats.insert(.f16, at: 0)
            log("adding f16 as the baseline for the x F16 ratios")
        }
        let llc = MachineMemory.lastLevelCacheBytes()
        let poolBytes: Int
        switch llc {
        case let .success(bytes):
            poolBytes = max(config.coldPoolCacheMultiple * bytes, 64 << 20)
        case let .failure(error):
            poolBytes = 1 << 30
            log("last-level cache size unknown (\(error)); using a 1 GiB cold pool")
        }
        let allowed = WorkerPool.allowedCPUs()
        for t in Set(config.threads) {
            pools[t] = WorkerPool(threadCount: t, pinning: allowed.isEmpty ? .none : .cpus(allowed, pinCaller: true))
        }
        try requireMemory(poolBytes, for: "the bandwidth probe buffer")
        log("allocating the \(poolBytes >> 20) MiB bandwidth probe buffer")
        let probe = try BandwidthProbe(bytes: poolBytes, path: path)
        var bandwidth: [Int: Double] = [:]
        for t in config.threads.sorted() {
            let samples = (0..<max(3, min(config.repetitions, 7))).map { _ in
                probe.timeRead(bytes: probe.byteCount, pool: pools[t]!)
            }
            let median = SampleStatistics(samples)!.median
            bandwidth[t] = Double(probe.byteCount) / median
            log(String(format: "memory read bandwidth, %d thread(s): %.2f GB/s", t, bandwidth[t]!))
        }

        var records: [KernelBenchRecord] = []
        for shape in config.shapes {
            let weights = try randomMatrix(shape)
            for id in formats {
                let format = WeightFormats.format(id)
                let parameters: FormatParameters
                do {
                    parameters = try config.tiles.parameters(for: id, rows: shape.rows, columns: shape.columns, generateMissing: true)
                    try format.checkShape(rows: shape.rows, columns: shape.columns, parameters: parameters)
                } catch {
                    log("skipping \(id.rawValue) \(shape): \(error)")
                    continue
                }
                if let tile = parameters.tile {
                    log("\(id.rawValue) \(shape): BM=\(tile.rowsPerTile) BK=\(tile.kBlock) bm=\(tile.rowsPerGroup)")
                }
                records += try measure(format, shape: shape, parameters: parameters, weights: weights, path: path,
                                       poolBytes: poolBytes, probe: probe)
            }
        }
        fillRatiosToF16(&records)
        let context = Context(path: path, lastLevelCache: llc, coldPoolBytes: poolBytes, bandwidthGBps: bandwidth,
                              scalarRepetitions: min(config.scalarRepetitions, config.repetitions),
                              loadBefore: loadBefore, loadAfter: MachineLoad.oneMinute())
        return (records, context)
    }

    private func requireMemory(_ bytes: Int, for what: String) throws {
        guard case let .success(available) = MachineMemory.availableBytes() else { return }
        if bytes > available * 7 / 10 {
            throw KernelBenchError.doesNotFit("\(what) needs \(bytes >> 20) MiB but only \(available >> 20) MiB are available (70% may be used): use fewer or smaller --shape values, --hot, or --cold-multiple 1")
        }
    }

    private func randomMatrix(_ shape: MatrixShape) throws -> [Float] {
        let count = shape.rows * shape.columns
        try requireMemory(count * 4, for: "the F32 source matrix \(shape)")
        var generator = SplitMix64(seed: configuration.seed &+ UInt64(shape.rows) &* 31 &+ UInt64(shape.columns))
        return (0..<count).map { _ in generator.nextFloat() * 0.05 }
    }

    private func measure(_ format: any WeightFormat, shape: MatrixShape, parameters: FormatParameters, weights: [Float],
                         path: KernelPath, poolBytes: Int, probe: BandwidthProbe) throws -> [KernelBenchRecord] {
        let config = configuration
        let byteCount = format.byteCount(rows: shape.rows, columns: shape.columns, parameters: parameters)
        try requireMemory(byteCount, for: "one \(format.id.rawValue) \(shape) matrix")
        var blob = [UInt8](repeating: 0, count: byteCount)
        try weights.withUnsafeBufferPointer { w in
            try blob.withUnsafeMutableBytes { b in
                try format.quantize(w, rows: shape.rows, columns: shape.columns, parameters: parameters, into: b)
            }
        }
        // Copies: enough to exceed the cold pool size; the budget counts each copy twice, since a
        // format may repack at prepare time.
        var copyCount = config.cold ? max(2, (poolBytes + byteCount - 1) / byteCount) : 1
        var note: String?
        if case let .success(available) = MachineMemory.availableBytes() {
            let affordable = available * 7 / 10 / max(2 * byteCount, 1)
            if affordable < copyCount {
                guard affordable >= (config.cold ? 2 : 1) else {
                    throw KernelBenchError.doesNotFit("\(format.id.rawValue) \(shape): \(copyCount) copies of \(byteCount >> 20) MiB do not fit in \(available >> 20) MiB available")
                }
                copyCount = affordable
                note = "cold pool limited by memory to \(copyCount) copies (\((copyCount * byteCount) >> 20) MiB)"
            }
        }
        log("\(format.id.rawValue) \(shape): \(copyCount) cop\(copyCount == 1 ? "y" : "ies") of \(String(format: "%.1f", Double(byteCount) / 1048576)) MiB")
        let copies = try blob.withUnsafeBytes { try WeightCopies(blob: $0, count: copyCount) }
        blob = []
        let fast = try copies.prepare(format, shape: shape, parameters: parameters, path: path)
        // The scalar reference is slow enough that two copies suffice, and a format that repacks at
        // prepare time then holds only two extra copies.
        let scalar = config.scalarRepetitions > 0 ? try copies.prepare(format, shape: shape, parameters: parameters, path: .scalar, limit: 2) : []

        let maxBatch = config.batches.max() ?? 1
        var generator = SplitMix64(seed: config.seed &+ 7)
        let activations = (0..<maxBatch * shape.columns).map { _ in generator.nextFloat() }
        var output = [Float](repeating: 0, count: maxBatch * shape.rows)

        var records: [KernelBenchRecord] = []
        for batch in config.batches {
            for threads in config.threads {
                let pool = pools[threads]!
                log("  \(format.id.rawValue) \(shape) batch \(batch) threads \(threads)")
                var times: [Double] = [], reads: [Double] = []
                func runOnce(_ set: [any PreparedWeights]) -> Double {
                    let matrix = copies.next(in: set)
                    return activations.withUnsafeBufferPointer { x in
                        output.withUnsafeMutableBufferPointer { y in
                            MonotonicClock.time { matrix.multiply(x.baseAddress!, batch: batch, into: y.baseAddress!, pool: pool) }
                        }
                    }
                }
                _ = runOnce(fast)  // warm-up: code, page tables, output buffer
                for _ in 0..<config.repetitions {
                    times.append(runOnce(fast))
                    // Cold: a same-sized DRAM read right after each product pairs every sample
                    // with the bandwidth of that moment (the machine is shared and noisy).
                    if config.cold { reads.append(probe.timeRead(bytes: byteCount, pool: pool)) }
                }
                if !config.cold {
                    // Hot: reading between products would evict the weights, so measure apart.
                    reads = (0..<config.repetitions).map { _ in probe.timeRead(bytes: byteCount, pool: pool) }
                }
                let readBytes = Double(min(byteCount, probe.byteCount) / 4 * 4)
                let readStatistics = SampleStatistics(reads)
                let bandwidth = readStatistics.map { readBytes / $0.median }
                let bestBandwidth = readStatistics.map { readBytes / $0.min }
                var caseNote = note
                var scalarTime: SampleStatistics?
                let work = Double(shape.rows) * Double(shape.columns) * Double(batch)
                if scalar.isEmpty {
                    scalarTime = nil
                } else if work > config.scalarWorkLimit {
                    caseNote = join(caseNote, String(format: "scalar reference skipped: M*K*batch = %.2g > limit %.2g", work, config.scalarWorkLimit))
                } else {
                    let reps = min(config.scalarRepetitions, config.repetitions, work > 1e9 ? 1 : .max)
                    scalarTime = SampleStatistics((0..<reps).map { _ in runOnce(scalar) })
                    if reps < min(config.scalarRepetitions, config.repetitions) {
                        caseNote = join(caseNote, "scalar reference: 1 rep (large work)")
                    }
                }
                records.append(KernelBenchRecord(
                    format: format.id, m: shape.rows, k: shape.columns, batch: batch, threads: threads,
                    cold: config.cold, path: path, time: SampleStatistics(times)!, weightBytes: fast[0].weightBytes,
                    copies: copyCount, bandwidthGBps: bandwidth, bestBandwidthGBps: bestBandwidth,
                    speedupOverF16: nil, scalarTime: scalarTime,
                    note: caseNote))
            }
        }
        return records
    }

    private func join(_ a: String?, _ b: String) -> String { a.map { $0 + "; " + b } ?? b }

    private func fillRatiosToF16(_ records: inout [KernelBenchRecord]) {
        for i in records.indices {
            let r = records[i]
            if let baseline = records.first(where: {
                $0.format == .f16 && $0.m == r.m && $0.k == r.k && $0.batch == r.batch && $0.threads == r.threads
            }) {
                records[i].speedupOverF16 = baseline.time.median / r.time.median
            }
        }
    }
}
