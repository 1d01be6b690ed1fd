/// A counter-based random stream: the value at index i is a pure function of (seed, tensor name, i),
/// so any tensor, or any slice of one, can be made independently, in any order, on any thread.
///
/// The key is FNV-1a-64 of the name mixed with the seed; word i is the SplitMix64 finalizer of
/// `key + (i + 1) * golden` (SplitMix64: Steele, Lea, Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014; FNV-1a: Fowler, Noll, Vo).
public struct CounterRandom: Sendable, Equatable {
    /// The per-(seed, name) key.
    public let key: UInt64

    /// The stream of tensor `name` under `seed`.
    public init(seed: UInt64, name: String) {
        key = Self.mix(Self.fnv1a64(name) ^ Self.mix(seed &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// 64 random bits at `counter`.
    @inline(__always)
    public func word(_ counter: UInt64) -> UInt64 {
        Self.mix(key &+ (counter &+ 1) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// A uniform double in [0, 1) at `counter` (53 bits).
    @inline(__always)
    public func uniform(_ counter: UInt64) -> Double {
        Double(word(counter) >> 11) * 0x1.0p-53
    }

    /// A standard normal at `counter` (Box-Muller on the two 32-bit halves of one word).
    @inline(__always)
    public func gaussian(_ counter: UInt64) -> Float {
        let w = word(counter)
        let u1 = (Double(w >> 32) + 0.5) * 0x1.0p-32          // (0, 1): log is finite
        let u2 = Double(w & 0xFFFF_FFFF) * 0x1.0p-32
        return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
    }

    /// The SplitMix64 output function (a bijective 64-bit mixer).
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a, 64-bit, over the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
