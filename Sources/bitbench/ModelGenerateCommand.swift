import ArgumentParser
import Foundation
import GGUF
import Synthetic

/// `bitbench model generate --preset 3.8B --type i2_s -o FILE`: writes a synthetic model as a
/// GGUF file bitnet.cpp can load, streamed to disk in constant memory.
struct ModelGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic model (deterministic weights from a seed) as a GGUF file."
    )

    @Option(name: .long, help: "Model preset: \(ModelPresets.names.joined(separator: ", ")), or 'custom' with shape flags.")
    var preset: String?

    @Option(name: .long, help: "Seed of the weights: the same seed gives the same bytes.")
    var seed: UInt64 = 1

    @Option(name: [.short, .customLong("output")], help: "The GGUF file to write (created atomically).")
    var output: String

    @Option(name: .shortAndLong, help: "Threads that make the weights (default: all CPUs).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "No progress bar.")
    var quiet = false

    @Option(name: .long, help: "For tl1/tl2: also write the tiling as bitnet.cpp's kernel_config.ini (to build its kernels for these shapes).")
    var kernelConfig: String?

    @OptionGroup var shape: SyntheticShapeOptions

    func validate() throws {
        guard threads >= 1, threads <= 1024 else { throw ValidationError("--threads \(threads): expected 1...1024") }
        guard preset != nil || shape.shapeFile != nil || shape.hidden != nil else {
            throw ValidationError("give --preset (\(ModelPresets.names.joined(separator: ", "))), --shape-file or custom shape flags")
        }
    }

    func run() throws {
        do {
            let spec = try shape.spec(preset: preset, seed: seed)
            let layout = try SyntheticModelLayout(spec: spec)
            let writer = SyntheticModelWriter(layout: layout, threads: threads, showProgress: !quiet)
            if let kernelConfig {
                guard spec.weightType == .tl1 || spec.weightType == .tl2 else {
                    throw ValidationError("--kernel-config applies to --type tl1 or tl2 only")
                }
                try layout.tileTable.kernelConfigINI(for: spec.weightType)
                    .write(toFile: kernelConfig, atomically: true, encoding: .utf8)
            }
            let report = try writer.write(to: output)
            let seconds = (report.seconds * 100).rounded() / 100
            print("wrote \(report.path): \(spec.label), \(report.bytes) bytes, \(layout.tensors.count) tensors, "
                  + "\(layout.vocabulary.tokens.count) tokens, \(seconds) s")
            // FORMATS.md 2.1: bitnet.cpp's I2_S kernel reads floor(K/128) blocks from byte m*K/4 per row.
            if let odd = layout.tensors.first(where: { $0.type == .i2_s && $0.columns % 128 != 0 }) {
                FileHandle.standardError.write(Data(("bitbench: note: \(odd.name) has K=\(odd.columns), not a multiple of 128; "
                    + "its I2_S rows start inside 128-weight blocks (the flat layout quantize_i2_s writes). bitbench reads them "
                    + "exactly; bitnet.cpp's I2_S kernel misreads such rows, so its outputs for this file are wrong\n").utf8))
            }
        } catch let error as SyntheticError {
            FileHandle.standardError.write(Data("bitbench: error: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as GGUFError {
            FileHandle.standardError.write(Data("bitbench: error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
