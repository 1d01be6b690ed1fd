#if canImport(Glibc)
import Glibc
#endif

/// RAPL through powercap sysfs: `intel-rapl:<pkg>` zones and their `intel-rapl:<pkg>:<n>`
/// subzones (AMD Fam17h/19h use the same paths), each an `energy_uj` µJ counter that wraps at
/// `max_energy_range_uj` (ENERGY-COUNTERS.md).
public enum PowercapSource {
    /// What to tell a user who meets EACCES on energy_uj.
    public static let accessAdvice = "energy_uj is readable by root only since the CVE-2020-8694 fix (Nov 2020): run as root, or grant read access with `sudo chmod o+r /sys/class/powercap/intel-rapl:*/energy_uj` (until reboot) or a udev rule / sysfsutils entry"

    /// Finds the zones under `env.powercapRoot` and checks that each can be read.
    public static func detect(_ env: EnergyEnvironment) -> EnergySourceDetection {
        let root = env.powercapRoot
        guard env.files.exists(root) else {
            return .unavailable("\(root) is absent (no powercap RAPL driver: intel_rapl_msr not loaded, an unsupported CPU, or a VM without RAPL)")
        }
        let zones = findZones(root: root, files: env.files)
        guard !zones.isEmpty else {
            return .unavailable("no intel-rapl zones under \(root)")
        }
        var counters: [any EnergyCounter] = []
        var notes: [String] = []
        var denied: [String] = []
        for zone in zones {
            let name: String
            do {
                name = try env.files.readTrimmed(zone.path + "/name")
            } catch {
                notes.append("\(zone.path): \(error); skipped")
                continue
            }
            guard let kind = RAPLDomain.Kind(kernelName: name) else {
                notes.append("\(zone.path): domain '\(name)' not known; skipped")
                continue
            }
            let energyPath = zone.path + "/energy_uj"
            do {
                let text = try env.files.readTrimmed(energyPath)
                guard UInt64(text) != nil else {
                    notes.append("\(energyPath): expected a decimal µJ count, found \(text.quotedForMessage); skipped")
                    continue
                }
            } catch let error as SystemError where error.errno == EACCES || error.errno == EPERM {
                denied.append(energyPath)
                notes.append("\(error): \(accessAdvice)")
                continue
            } catch {
                notes.append("\(error); skipped")
                continue
            }
            var modulus: UInt64? = nil
            if let text = try? env.files.readTrimmed(zone.path + "/max_energy_range_uj"), let range = UInt64(text), range > 0 {
                modulus = range
            } else {
                notes.append("\(zone.path)/max_energy_range_uj unreadable: wraps of \(name) cannot be corrected")
            }
            let socket = kind == .psys ? 0 : zone.package
            counters.append(PowercapCounter(domain: RAPLDomain(kind: kind, socket: socket), path: energyPath,
                                            wrapModulus: modulus, files: env.files))
        }
        if counters.isEmpty {
            if !denied.isEmpty {
                return .unavailable("permission denied (EACCES) reading \(denied.joined(separator: ", ")): \(accessAdvice)")
            }
            return .unavailable("no readable RAPL zone under \(root) (\(notes.joined(separator: "; ")))")
        }
        return .available(counters, notes: notes)
    }

    struct Zone {
        var path: String
        var package: Int
    }

    /// Zones named `intel-rapl:P` or `intel-rapl:P:N`, at the top level (the kernel's symlinks)
    /// or nested inside their package's directory.
    static func findZones(root: String, files: any FileAccess) -> [Zone] {
        var byName: [String: Zone] = [:]
        func consider(_ name: String, in directory: String) {
            let parts = name.split(separator: ":")
            guard parts.count == 2 || parts.count == 3, parts[0] == "intel-rapl",
                  let package = Int(parts[1]), parts.count == 2 || Int(parts[2]) != nil,
                  byName[name] == nil else { return }
            byName[name] = Zone(path: directory + "/" + name, package: package)
        }
        let top = (try? files.directoryEntries(root)) ?? []
        for name in top { consider(name, in: root) }
        for name in top where name.split(separator: ":").count == 2 {
            for inner in (try? files.directoryEntries(root + "/" + name)) ?? [] {
                consider(inner, in: root + "/" + name)
            }
        }
        return byName.keys.sorted().map { byName[$0]! }
    }
}

/// One powercap `energy_uj` file.
final class PowercapCounter: EnergyCounter, @unchecked Sendable {
    let domain: RAPLDomain
    let joulesPerCount = 1e-6
    let wrapModulus: UInt64?
    let origin: String
    private let files: any FileAccess

    init(domain: RAPLDomain, path: String, wrapModulus: UInt64?, files: any FileAccess) {
        self.domain = domain
        self.origin = path
        self.wrapModulus = wrapModulus
        self.files = files
    }

    func readCount() throws -> UInt64 {
        let text = try files.readTrimmed(origin)
        guard let value = UInt64(text) else {
            throw SysfsValueError(path: origin, text: text, expected: "a decimal µJ count")
        }
        return value
    }

    func close() {}
}
