/// Probes (clock, perf counters, RAPL energy), topology and placement.
public enum Measurement {}
