import Foundation
import Testing
@testable import Engine

/// The sampler's platform-independent e^x (internal, hence @testable) against libm's.
@Suite struct SamplingExponentialTests {
    @Test func agreesWithLibmToAFewUlps() {
        var x = -699.0
        var worst = 0.0
        while x <= 5 {
            let reference = Foundation.exp(x)
            let relative = abs(PortableExponential.exp(x) - reference) / reference
            worst = max(worst, relative)
            x += 0.0137
        }
        #expect(worst < 4e-16, "worst relative error \(worst)")
        #expect(PortableExponential.exp(0) == 1)
        #expect(PortableExponential.exp(-800) == 0)
        #expect(PortableExponential.exp(-.infinity) == 0)
        #expect(PortableExponential.exp(.nan).isNaN)
    }
}
