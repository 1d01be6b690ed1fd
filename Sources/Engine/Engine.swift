/// The inference engine for the `bitnet`, `bitnet-b1.58` and `llama` architectures.
public enum Engine {}
