/// Sweeps, runners, statistics, the result schema and the report printers.
public enum Harness {}
