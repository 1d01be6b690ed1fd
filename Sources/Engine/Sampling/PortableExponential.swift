/// e^x from additions and multiplications only, so sampling weights are bit-identical on every
/// platform (libm's `exp` may differ in the last bit between C libraries). Cody-Waite range
/// reduction x = k·ln2 + r with |r| <= ln2/2, then a degree-13 Taylor polynomial (truncation
/// error below 1e-17 relative), then scaling by 2^k through the exponent.
enum PortableExponential {
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x < -700 { return 0 }  // far below any weight that matters next to e^0
        if x > 709 { return .infinity }
        let ln2High = 0.693_147_180_369_123_816_49      // ln 2 to 32 significant bits
        let ln2Low = 1.908_214_929_270_587_700_02e-10   // ln 2 - ln2High
        // Round to nearest by adding and removing 1.5·2^52 (exact IEEE arithmetic, no libm call).
        let shifter = 6_755_399_441_055_744.0
        let k = (x * 1.442_695_040_888_963_407_36 + shifter) - shifter
        let r = (x - k * ln2High) - k * ln2Low
        var polynomial = 1.6059043836821613e-10  // 1/13!
        polynomial = polynomial * r + 2.08767569878681e-09  // 1/12!
        polynomial = polynomial * r + 2.505210838544172e-08  // 1/11!
        polynomial = polynomial * r + 2.755731922398589e-07  // 1/10!
        polynomial = polynomial * r + 2.7557319223985893e-06  // 1/9!
        polynomial = polynomial * r + 2.48015873015873e-05  // 1/8!
        polynomial = polynomial * r + 0.0001984126984126984  // 1/7!
        polynomial = polynomial * r + 0.001388888888888889  // 1/6!
        polynomial = polynomial * r + 0.008333333333333333  // 1/5!
        polynomial = polynomial * r + 0.041666666666666664  // 1/4!
        polynomial = polynomial * r + 0.16666666666666666  // 1/3!
        polynomial = polynomial * r + 0.5  // 1/2!
        polynomial = polynomial * r + 1.0  // 1/1!
        polynomial = polynomial * r + 1.0  // 1/0!
        // 2^k built from its exponent bits: k is within -1010...1023 here, a normal number.
        return polynomial * Double(bitPattern: UInt64(Int(k) + 1023) << 52)
    }
}
