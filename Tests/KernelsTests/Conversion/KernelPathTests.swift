import Kernels
import Testing

@Suite("Kernel path selection")
struct KernelPathTests {
    @Test("best picks AVX2 only with AVX2, FMA and F16C together")
    func bestPath() {
        #expect(KernelPath.best(for: CPUFeatures(avx2: true, fma: true, f16c: true)) == .avx2)
        #expect(KernelPath.best(for: CPUFeatures(avx2: true, fma: false, f16c: true)) == .portable)
        #expect(KernelPath.best(for: CPUFeatures(neon: true, dotprod: true)) == .portable)
        #expect(KernelPath.best == KernelPath.best(for: .current))
    }

    @Test("resolve: nil means best; a forced avx2 on a CPU without it names the flag")
    func resolve() throws {
        let noAVX2 = CPUFeatures(fma: true)
        #expect(try KernelPath.resolve(nil, features: noAVX2) == .portable)
        #expect(try KernelPath.resolve(.scalar, features: noAVX2) == .scalar)
        #expect(try KernelPath.resolve(.portable, features: noAVX2) == .portable)
        do {
            _ = try KernelPath.resolve(.avx2, features: noAVX2)
            Issue.record("forced avx2 without AVX2 must throw")
        } catch let error as KernelPathError {
            #expect(error.description.contains("--kernel-path avx2"))
            #expect(error.missingFeatures == ["avx2", "f16c"])
        }
        #expect(try KernelPath.resolve(nil) == KernelPath.best)
    }

    @Test("best prefers AVX-512 VNNI, then AVX-VNNI, each only on top of the AVX2 set")
    func bestVNNIPath() {
        let avx2 = CPUFeatures(avx2: true, fma: true, f16c: true)
        var zen4 = avx2
        (zen4.avx512f, zen4.avx512bw, zen4.avx512vnni) = (true, true, true)
        var alderLake = avx2
        alderLake.avxvnni = true
        var both = zen4
        both.avxvnni = true
        var noBW = zen4
        noBW.avx512bw = false
        var vnniWithoutFMA = alderLake
        vnniWithoutFMA.fma = false
        #expect(KernelPath.best(for: zen4) == .avx512vnni)
        #expect(KernelPath.best(for: both) == .avx512vnni)
        #expect(KernelPath.best(for: alderLake) == .avxvnni)
        #expect(KernelPath.best(for: noBW) == .avx2)
        #expect(KernelPath.best(for: vnniWithoutFMA) == .portable)
    }

    @Test("resolve refuses a forced VNNI path on a CPU without it, naming what is missing")
    func resolveVNNI() throws {
        let avx2 = CPUFeatures(avx2: true, fma: true, f16c: true)
        for (path, missing) in [(KernelPath.avx512vnni, ["avx512f", "avx512bw", "avx512vnni"]),
                                (.avxvnni, ["avxvnni"])] {
            do {
                _ = try KernelPath.resolve(path, features: avx2)
                Issue.record("forced \(path.rawValue) on an AVX2-only CPU must throw")
            } catch let error as KernelPathError {
                #expect(error.requested == path)
                #expect(error.missingFeatures == missing)
                #expect(error.description.contains("--kernel-path \(path.rawValue)"))
            }
        }
        var alderLake = avx2
        alderLake.avxvnni = true
        #expect(try KernelPath.resolve(.avxvnni, features: alderLake) == .avxvnni)
        #expect(try KernelPath.resolve(.avx2, features: alderLake) == .avx2)
        #expect(throws: KernelPathError.self) { try KernelPath.resolve(.avx512vnni, features: alderLake) }
        #expect(KernelPath.avx512vnni.withoutVNNI == .avx2 && KernelPath.portable.withoutVNNI == .portable)
    }

    @Test("this x86 machine reports the features the kernels need")
    func currentFeatures() {
        #if arch(x86_64)
        // The team machine has AVX2; a CPU without it must still resolve to the portable path.
        let current = CPUFeatures.current
        #expect(current.supportsAVX2Kernels == (current.avx2 && current.fma && current.f16c))
        #expect(!current.neon)
        #else
        #expect(CPUFeatures.current.neon)
        #endif
    }
}
