import Engine
import Measurement

/// Starts and stops a test's probe from the session's phase hooks, for one phase only (a tg
/// test's short prompt is processed outside the measured span), and zeroes the session's time
/// breakdown as the phase begins. Holds the session weakly: the session holds the hooks.
final class PhaseGate {
    let probe: PhaseProbe
    weak var session: InferenceSession?
    var target: GenerationPhase = .promptProcessing
    /// Tokens the last measured phase reported.
    var processed = 0

    init(probe: PhaseProbe, session: InferenceSession) {
        self.probe = probe
        self.session = session
    }

    /// Hooks that drive this gate.
    var hooks: PhaseHooks {
        PhaseHooks(willBegin: { [self] phase in
            guard phase == target else { return }
            session?.resetBreakdown()
            probe.begin()
        }, didEnd: { [self] phase, tokens in
            guard phase == target else { return }
            probe.end()
            processed = tokens
        })
    }
}
