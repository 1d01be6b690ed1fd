import Kernels
import Measurement

/// The sweep expanded: one point per measured row, in a fixed order — model, format, NUMA
/// layout, threads, batch, then the tests — so that each (model, format) is made once and each
/// session (threads, batch, layout) is loaded once and serves all its tests.
public struct BenchPlan: Sendable, Equatable {
    /// One row to measure.
    public struct Point: Sendable, Equatable {
        /// Index of the model in the sweep.
        public var modelIndex: Int
        /// The weight type of a synthetic model; nil for a file (its own type).
        public var format: WeightFormatID?
        /// NUMA layout.
        public var numa: NUMALayout
        /// Worker threads.
        public var threads: Int
        /// Prompt batch size.
        public var batch: Int
        /// The test.
        public var test: BenchTest
    }

    /// The sweep this plan expands.
    public let sweep: BenchSweep
    /// Every point, in run order.
    public let points: [Point]

    /// Expands a sweep (validated first).
    public init(_ sweep: BenchSweep) throws {
        try sweep.validate()
        self.sweep = sweep
        var points: [Point] = []
        for (index, model) in sweep.models.enumerated() {
            let formats: [WeightFormatID?] = model.isFile ? [nil] : sweep.formats.map { $0 }
            for format in formats {
                for numa in sweep.numaLayouts {
                    for threads in sweep.threads {
                        for batch in sweep.batchSizes {
                            for test in sweep.tests {
                                points.append(Point(modelIndex: index, format: format, numa: numa,
                                                    threads: threads, batch: batch, test: test))
                            }
                        }
                    }
                }
            }
        }
        self.points = points
    }
}
