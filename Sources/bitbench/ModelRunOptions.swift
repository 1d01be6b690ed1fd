import ArgumentParser
import Engine
import Foundation
import GGUF
import Kernels

/// The options `run` and `eval` share: which model, and how the session is set up.
struct ModelRunOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The GGUF model file.")
    var model: String?

    @OptionGroup(title: "Synthetic models (instead of -m)") var synthetic: SyntheticOptions

    @Option(name: .shortAndLong, help: "Worker threads (default: the number of online CPUs).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: [.customShort("c"), .customLong("ctx-size")],
            help: "Context length: KV-cache positions (default: the model's limit, at most 4096).")
    var contextLength: Int?

    @Option(name: [.customShort("b"), .customLong("batch-size")], help: "Tokens per forward pass when processing a prompt.")
    var batchSize: Int = 512

    @Option(name: .customLong("kernel-path"), help: "Force a kernel path: scalar, portable, avx2, avxvnni or avx512vnni (VNNI: I2_S kernels, AVX2 elsewhere; default: the best for this CPU).")
    var kernelPath: String?

    @Option(name: .customLong("tl2-config"), help: "bitnet.cpp kernel_config.ini with TL2 tile sizes (BM, BK, bm) per shape.")
    var tl2Config: String?

    func validate() throws {
        guard (model == nil) != (synthetic.synthetic == nil) else {
            throw ValidationError("give a model file with -m or a synthetic model with --synthetic (one of them)")
        }
        guard threads >= 1 else { throw ValidationError("-t must be at least 1, got \(threads)") }
        guard batchSize >= 1 else { throw ValidationError("-b must be at least 1, got \(batchSize)") }
        if let contextLength, contextLength < 1 { throw ValidationError("-c must be at least 1, got \(contextLength)") }
        if let kernelPath, KernelPath(rawValue: kernelPath) == nil {
            throw ValidationError("--kernel-path must be one of \(KernelPath.allCases.map(\.rawValue).joined(separator: ", ")), got '\(kernelPath)'")
        }
    }

    /// The session options these flags describe.
    func sessionOptions() throws -> SessionOptions {
        var tiles: TileConfigurationTable?
        if let tl2Config {
            tiles = try TileConfigurationTable(kernelConfigINI: tl2Config, format: .tl2)
        }
        return SessionOptions(threads: threads, contextLength: contextLength, batchSize: batchSize,
                              kernelPath: kernelPath.flatMap(KernelPath.init(rawValue:)), tileConfigurations: tiles)
    }

    /// The model's tensors: the mapped GGUF file, or a synthetic model made in memory after the
    /// memory plan for this context, batch and thread count fits.
    func tensorSource() throws -> TensorSource {
        if synthetic.isRequested {
            return try synthetic.makeSource(context: contextLength, batch: batchSize, threads: threads)
        }
        return try GGUFFile(path: model ?? "")
    }
}

/// Reports a failure as `bitbench: error: …` on stderr and exits non-zero.
enum CommandErrorReporter {
    /// Runs `body`; any error becomes one line on stderr and exit status 1.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("bitbench: error: \(String(describing: error))\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// Writes text to stdout right away (generation streams token by token).
enum StandardOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Writes a line to stderr.
enum StandardError {
    static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
