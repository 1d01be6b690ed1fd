/// Model presets and deterministic synthetic weights.
public enum Synthetic {}
