import CKernels

/// The instruction-set extensions of the running CPU, detected once (cpuid/xgetbv on x86,
/// hwcaps on ARM) by `bb_detect_cpu_features`.
public struct CPUFeatures: Sendable, Equatable {
    public var avx2: Bool
    public var fma: Bool
    public var f16c: Bool
    public var avx512f: Bool
    public var avx512bw: Bool
    public var avx512vnni: Bool
    public var avxvnni: Bool
    public var neon: Bool
    public var dotprod: Bool

    /// Makes a feature set by hand (tests use it to model other CPUs).
    public init(avx2: Bool = false, fma: Bool = false, f16c: Bool = false, avx512f: Bool = false,
                avx512bw: Bool = false, avx512vnni: Bool = false, avxvnni: Bool = false,
                neon: Bool = false, dotprod: Bool = false) {
        self.avx2 = avx2
        self.fma = fma
        self.f16c = f16c
        self.avx512f = avx512f
        self.avx512bw = avx512bw
        self.avx512vnni = avx512vnni
        self.avxvnni = avxvnni
        self.neon = neon
        self.dotprod = dotprod
    }

    /// The features of the CPU this process runs on.
    public static let current: CPUFeatures = {
        var raw = bb_cpu_features()
        bb_detect_cpu_features(&raw)
        return CPUFeatures(avx2: raw.avx2 != 0, fma: raw.fma != 0, f16c: raw.f16c != 0,
                           avx512f: raw.avx512f != 0, avx512bw: raw.avx512bw != 0,
                           avx512vnni: raw.avx512vnni != 0, avxvnni: raw.avxvnni != 0,
                           neon: raw.neon != 0, dotprod: raw.dotprod != 0)
    }()

    /// The AVX2 kernels also use FMA and F16C, so all three must be present.
    public var supportsAVX2Kernels: Bool { avx2 && fma && f16c }

    /// The I2_S AVX-512 VNNI kernels: AVX-512 F/BW/VNNI on top of the AVX2 set.
    public var supportsAVX512VNNIKernels: Bool { supportsAVX2Kernels && avx512f && avx512bw && avx512vnni }

    /// The I2_S AVX-VNNI (256-bit, VEX) kernels on top of the AVX2 set.
    public var supportsAVXVNNIKernels: Bool { supportsAVX2Kernels && avxvnni }

    /// The names in `required` (as in `names`) this CPU lacks, in their order.
    public func missing(_ required: [String]) -> [String] {
        let present = Set(names)
        return required.filter { !present.contains($0) }
    }

    /// The names of the features present, lower case, e.g. `["avx2", "fma", "f16c"]`.
    public var names: [String] {
        let table: [(String, Bool)] = [
            ("avx2", avx2), ("fma", fma), ("f16c", f16c), ("avx512f", avx512f), ("avx512bw", avx512bw),
            ("avx512vnni", avx512vnni), ("avxvnni", avxvnni), ("neon", neon), ("dotprod", dotprod),
        ]
        return table.filter(\.1).map(\.0)
    }
}
