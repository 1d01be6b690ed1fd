/// The instruction-set features the kernels care about, and the cpuinfo flag that shows each
/// (flag names from the kernel's arch/x86/include/asm/cpufeatures.h and arch/arm64 hwcap names).
public struct ISAFeature: Sendable {
    /// The name users know, e.g. `AVX-512 VNNI`.
    public var name: String
    /// Which cpuinfo vocabulary has it.
    public var family: CPUInfo.Family
    /// The cpuinfo flags that each show it (any one suffices: AArch64 says asimd, ARMv7 neon).
    public var flags: [String]

    /// The features `bitbench sysinfo` reports, in print order.
    public static let table: [ISAFeature] = [
        ISAFeature(name: "AVX2", family: .x86, flags: ["avx2"]),
        ISAFeature(name: "FMA", family: .x86, flags: ["fma"]),
        ISAFeature(name: "F16C", family: .x86, flags: ["f16c"]),
        ISAFeature(name: "AVX-512F", family: .x86, flags: ["avx512f"]),
        ISAFeature(name: "AVX-512BW", family: .x86, flags: ["avx512bw"]),
        ISAFeature(name: "AVX-512 VNNI", family: .x86, flags: ["avx512_vnni"]),
        ISAFeature(name: "AVX-VNNI", family: .x86, flags: ["avx_vnni"]),
        ISAFeature(name: "NEON", family: .arm, flags: ["asimd", "neon"]),
        ISAFeature(name: "dotprod", family: .arm, flags: ["asimddp"]),
        ISAFeature(name: "i8mm", family: .arm, flags: ["i8mm"]),
    ]
}
