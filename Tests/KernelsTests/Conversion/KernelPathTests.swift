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
