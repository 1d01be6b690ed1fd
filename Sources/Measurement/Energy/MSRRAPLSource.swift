#if canImport(Glibc)
import Glibc
#endif

/// RAPL through the MSRs, the last resort: Intel 0x606 (unit), 0x611 (package), 0x639 (PP0 =
/// cores), 0x619 (DRAM); AMD 0xC0010299 (unit), 0xC001029B (package), 0xC001029A (per core).
/// 32-bit counters that wrap, so the sampler must read them often (ENERGY-COUNTERS.md).
public enum MSRRAPLSource {
    /// The MSR layout of one vendor.
    struct Registers {
        var unit: UInt32
        var domains: [(kind: RAPLDomain.Kind, address: UInt32, perCore: Bool)]
    }

    // Intel SDM vol. 4, MSRs of processors with RAPL: MSR_RAPL_POWER_UNIT 606H, MSR_PKG_ENERGY_STATUS
    // 611H, MSR_PP0_ENERGY_STATUS 639H, MSR_DRAM_ENERGY_STATUS 619H.
    static let intel = Registers(unit: 0x606, domains: [(.package, 0x611, false), (.cores, 0x639, false), (.dram, 0x619, false)])
    // AMD PPR for Family 17h/19h: MSRC001_0299 RAPL_PWR_UNIT, MSRC001_029B PKG_ENERGY_STAT,
    // MSRC001_029A CORE_ENERGY_STAT (one per core; SMT siblings share it).
    static let amd = Registers(unit: 0xC001_0299, domains: [(.package, 0xC001_029B, false), (.cores, 0xC001_029A, true)])

    // Intel family-6 models whose DRAM domain counts in 2^-16 J whatever MSR 0x606 says
    // (Linux arch/x86/events/rapl.c, RAPL_UNIT_QUIRK_INTEL_HSW / _SPR): Haswell-X, Broadwell-X/D,
    // Skylake-X, Ice Lake-X/D, Xeon Phi KNL/KNM, Sapphire Rapids, Emerald Rapids.
    static let intelServerDRAMModels: Set<Int> = [0x3F, 0x4F, 0x56, 0x55, 0x6A, 0x6C, 0x57, 0x85, 0x8F, 0xCF]

    /// Reads the vendor, finds one CPU per package (and per core on AMD) and opens their MSRs.
    public static func detect(_ env: EnergyEnvironment) -> EnergySourceDetection {
        let cpu: CPUInfo
        do {
            cpu = CPUInfo.parse(try env.files.readText(env.cpuinfoPath))
        } catch {
            return .unavailable("cannot identify the CPU for its RAPL MSRs: \(error)")
        }
        guard cpu.family != .arm else {
            return .unavailable("RAPL MSRs exist only on x86 CPUs (\(env.cpuinfoPath) describes an ARM CPU)")
        }
        guard let vendor = cpu.vendor, let family = cpu.identification["cpu family"].flatMap({ Int($0) }),
              let model = cpu.identification["model"].flatMap({ Int($0) }) else {
            return .unavailable("cannot identify the CPU for its RAPL MSRs: \(env.cpuinfoPath) has no vendor_id, cpu family and model lines")
        }
        let registers: Registers
        switch vendor {
        case "GenuineIntel": registers = intel
        case "AuthenticAMD", "HygonGenuine": registers = amd
        default: return .unavailable("no RAPL MSR layout for vendor '\(vendor)'")
        }
        let cpus = ((try? env.files.directoryEntries(env.msrDirectory)) ?? []).compactMap(Int.init).sorted()
        let devices = cpus.filter { env.files.exists("\(env.msrDirectory)/\($0)/msr") }
        guard !devices.isEmpty else {
            return .unavailable("no \(env.msrDirectory)/N/msr device: load the msr module (modprobe msr) and run as root")
        }
        // One CPU per package, and per (package, core) for per-core registers.
        var firstOfPackage: [Int: Int] = [:]
        var firstOfCore: [[Int]: Int] = [:]
        for n in devices {
            let topology = "\(env.cpuSysfsRoot)/cpu\(n)/topology/"
            let package = (try? env.files.readTrimmed(topology + "physical_package_id")).flatMap { Int($0) } ?? 0
            let core = (try? env.files.readTrimmed(topology + "core_id")).flatMap { Int($0) } ?? n
            if firstOfPackage[package] == nil { firstOfPackage[package] = n }
            if firstOfCore[[package, core]] == nil { firstOfCore[[package, core]] = n }
        }
        var counters: [any EnergyCounter] = []
        var notes: [String] = []
        var failures: [String] = []
        for (package, first) in firstOfPackage.sorted(by: { $0.key < $1.key }) {
            let path = "\(env.msrDirectory)/\(first)/msr"
            let unitDevice: any MSRHandle
            let unitRegister: UInt64
            do {
                unitDevice = try env.msr.open(path)
                unitRegister = try unitDevice.read(registers.unit)
            } catch let error as SystemError {
                failures.append(explain(error, unitAddress: registers.unit))
                continue
            } catch {
                failures.append("\(error)")
                continue
            }
            unitDevice.close()
            // Energy status units, bits 12:8: one count is 1/2^ESU J (SDM; AMD PPR, same layout).
            let esu = Int((unitRegister >> 8) & 0x1f)
            let joulesPerCount = 1.0 / Double(UInt64(1) << UInt64(esu))
            for domain in registers.domains {
                let owners = domain.perCore
                    ? firstOfCore.filter { $0.key[0] == package }.map(\.value).sorted()
                    : [first]
                var unit = joulesPerCount
                if domain.kind == .dram && vendor == "GenuineIntel" && family == 6
                    && intelServerDRAMModels.contains(model) {
                    unit = 1.0 / 65536.0
                }
                for owner in owners {
                    let ownerPath = "\(env.msrDirectory)/\(owner)/msr"
                    do {
                        let device = try env.msr.open(ownerPath)
                        _ = try device.read(domain.address)
                        counters.append(MSREnergyCounter(domain: RAPLDomain(kind: domain.kind, socket: package),
                                                         device: device, address: domain.address, joulesPerCount: unit))
                    } catch let error as SystemError where error.errno == EIO {
                        notes.append("\(domain.kind.rawValue) MSR 0x\(String(domain.address, radix: 16, uppercase: true)) of package \(package): not implemented (EIO); skipped")
                        break
                    } catch {
                        notes.append("\(domain.kind.rawValue) of package \(package): \(error); skipped")
                        break
                    }
                }
            }
        }
        if counters.isEmpty {
            let all = failures + notes
            return .unavailable(all.isEmpty ? "no RAPL MSR could be read" : all.joined(separator: "; "))
        }
        return .available(counters, notes: notes + failures)
    }

    private static func explain(_ error: SystemError, unitAddress: UInt32) -> String {
        switch error.errno {
        case EACCES, EPERM: return "\(error): reading MSRs needs root (CAP_SYS_RAWIO)"
        case EIO: return "\(error): the CPU or hypervisor does not implement the RAPL unit MSR 0x\(String(unitAddress, radix: 16, uppercase: true))"
        case ENOENT, ENXIO: return "\(error): load the msr module (modprobe msr)"
        default: return "\(error)"
        }
    }
}

/// One 32-bit RAPL energy-status MSR.
final class MSREnergyCounter: EnergyCounter, @unchecked Sendable {
    let domain: RAPLDomain
    let joulesPerCount: Double
    let wrapModulus: UInt64? = 1 << 32
    let origin: String
    private let device: any MSRHandle
    private let address: UInt32

    init(domain: RAPLDomain, device: any MSRHandle, address: UInt32, joulesPerCount: Double) {
        self.domain = domain
        self.device = device
        self.address = address
        self.joulesPerCount = joulesPerCount
        self.origin = "\(device.path) MSR 0x\(String(address, radix: 16, uppercase: true))"
    }

    func readCount() throws -> UInt64 {
        try device.read(address) & 0xFFFF_FFFF
    }

    func close() { device.close() }
}
