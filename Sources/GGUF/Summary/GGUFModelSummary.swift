/// What `bitbench model info` reports about a GGUF file: the container, the architecture and its
/// hyperparameters, tensors by type, parameter count, bits per weight and the tokenizer.
/// Codable with a stable layout (encode with `.sortedKeys`).
public struct GGUFModelSummary: Codable, Sendable, Equatable {
    /// Container facts.
    public struct FileFacts: Codable, Sendable, Equatable {
        public var path: String
        public var version: UInt32
        public var alignment: Int
        public var sizeBytes: Int
        public var dataOffset: Int
        public var keyValueCount: Int
        public var tensorCount: Int
        /// How tensor type id 39 was read ("bitnet-fork" or "upstream") and why.
        public var typeIDDialect: GGMLTypeDialect
        public var typeIDDialectReason: String
    }

    /// `general.architecture` and every `<arch>.*` key, the prefix removed.
    public struct Architecture: Codable, Sendable, Equatable {
        public var name: String?
        /// `general.name`.
        public var modelName: String?
        /// `general.file_type` (llama.cpp's LLAMA_FTYPE numbering).
        public var fileType: Int?
        public var hyperparameters: [String: Hyperparameter]
    }

    /// Tensors of one ggml type.
    public struct TypeUsage: Codable, Sendable, Equatable {
        public var type: String
        public var typeID: UInt32
        public var tensorCount: Int
        public var bytes: Int
        public var elements: Int
    }

    /// Tensor totals and the breakdown by type (most bytes first).
    public struct Tensors: Codable, Sendable, Equatable {
        public var count: Int
        public var bytes: Int
        public var parameterCount: Int
        public var byType: [TypeUsage]
    }

    /// Bits per weight: stored bits divided by element count.
    public struct BitsPerWeight: Codable, Sendable, Equatable {
        /// Over the linear layers: 2-D `.weight` tensors other than the embeddings and the output head.
        public var linearLayers: Double?
        public var linearTensorCount: Int
        public var linearParameterCount: Int
        public var linearBytes: Int
        /// Over every tensor's data.
        public var allTensors: Double?
        /// The whole file (header and padding included) over every parameter.
        public var wholeFile: Double?
    }

    /// The tokenizer as the metadata describes it.
    public struct Tokenizer: Codable, Sendable, Equatable {
        /// `tokenizer.ggml.model`: "gpt2" (byte-level BPE), "llama" (SentencePiece), ...
        public var model: String?
        /// `tokenizer.ggml.pre`, the pre-tokenizer name.
        public var preTokenizer: String?
        /// The number of entries of `tokenizer.ggml.tokens`.
        public var vocabularySize: Int?
        /// The number of entries of `tokenizer.ggml.merges`.
        public var mergeCount: Int?
        public var bosTokenID: Int?
        public var eosTokenID: Int?
        public var hasChatTemplate: Bool
    }

    public var file: FileFacts
    public var architecture: Architecture
    public var tensors: Tensors
    public var bitsPerWeight: BitsPerWeight
    public var tokenizer: Tokenizer

    /// Tensor name prefixes that are embeddings or the output head, not linear layers.
    static let nonLinearPrefixes = ["token_embd.", "output.", "position_embd.", "token_types."]

    /// Summarizes an opened file.
    public init(_ gguf: GGUFFile) {
        let metadata = gguf.metadata
        file = FileFacts(path: gguf.path, version: gguf.version, alignment: gguf.alignment, sizeBytes: gguf.fileSize,
                         dataOffset: gguf.dataOffset, keyValueCount: metadata.count,
                         tensorCount: gguf.tensorInfos.count, typeIDDialect: gguf.typeDialect.dialect,
                         typeIDDialectReason: gguf.typeDialect.reason)

        let arch = metadata.architecture
        var hyperparameters: [String: Hyperparameter] = [:]
        if let arch {
            let prefix = arch + "."
            for (key, value) in metadata.orderedEntries where key.hasPrefix(prefix) {
                hyperparameters[String(key.dropFirst(prefix.count))] = Hyperparameter(value)
            }
        }
        architecture = Architecture(name: arch, modelName: metadata.string("general.name"),
                                    fileType: metadata.int("general.file_type"), hyperparameters: hyperparameters)

        var usage: [GGMLType: TypeUsage] = [:]
        var totalBytes = 0, parameters = 0
        var linearBytes = 0, linearParameters = 0, linearCount = 0
        for info in gguf.tensorInfos {
            usage[info.type, default: TypeUsage(type: info.type.description, typeID: info.type.rawValue,
                                                tensorCount: 0, bytes: 0, elements: 0)].add(info)
            totalBytes += info.byteCount
            parameters += info.elementCount
            if Self.isLinearLayer(info) {
                linearBytes += info.byteCount
                linearParameters += info.elementCount
                linearCount += 1
            }
        }
        let byType = usage.values.sorted { ($0.bytes, $1.type) > ($1.bytes, $0.type) }
        tensors = Tensors(count: gguf.tensorInfos.count, bytes: totalBytes, parameterCount: parameters, byType: byType)

        func bits(_ bytes: Int, _ elements: Int) -> Double? {
            elements > 0 ? Double(bytes) * 8 / Double(elements) : nil
        }
        bitsPerWeight = BitsPerWeight(linearLayers: bits(linearBytes, linearParameters), linearTensorCount: linearCount,
                                      linearParameterCount: linearParameters, linearBytes: linearBytes,
                                      allTensors: bits(totalBytes, parameters), wholeFile: bits(gguf.fileSize, parameters))

        tokenizer = Tokenizer(model: metadata.string("tokenizer.ggml.model"),
                              preTokenizer: metadata.string("tokenizer.ggml.pre"),
                              vocabularySize: metadata["tokenizer.ggml.tokens"]?.arrayValues?.count,
                              mergeCount: metadata["tokenizer.ggml.merges"]?.arrayValues?.count,
                              bosTokenID: metadata.int("tokenizer.ggml.bos_token_id"),
                              eosTokenID: metadata.int("tokenizer.ggml.eos_token_id"),
                              hasChatTemplate: metadata.contains("tokenizer.chat_template"))
    }

    /// A linear layer: a 2-D `.weight` matrix that is not an embedding table or the output head.
    public static func isLinearLayer(_ info: GGUFTensorInfo) -> Bool {
        info.shape.count == 2 && info.name.hasSuffix(".weight")
            && !nonLinearPrefixes.contains { info.name.hasPrefix($0) }
    }
}

extension GGUFModelSummary.TypeUsage {
    mutating func add(_ info: GGUFTensorInfo) {
        tensorCount += 1
        bytes += info.byteCount
        elements += info.elementCount
    }
}
