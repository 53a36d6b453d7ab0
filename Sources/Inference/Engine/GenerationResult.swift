/// A whole generation gathered from its stream, for callers that do not stream (task generator, tests).
public struct GenerationResult: Sendable, Hashable {
    public var text: String
    /// Ids of the tokens that produced text, in order (empty from servers that send none).
    public var tokenIDs: [Int32]
    public var reason: FinishReason
    public var usage: GenerationUsage
    public var seed: UInt64?
}

extension TextGenerator {
    /// Runs `request` to the end and returns the text.
    public func complete(_ request: GenerationRequest) async throws -> GenerationResult {
        var result = GenerationResult(text: "", tokenIDs: [], reason: .cancelled, usage: .init(), seed: nil)
        for try await event in generate(request) {
            switch event {
            case .queued: break
            case .started(_, let seed): result.seed = seed
            case .token(let text, let id):
                result.text += text
                if let id { result.tokenIDs.append(id) }
            case .finished(let reason, let usage):
                result.reason = reason
                result.usage = usage
            }
        }
        return result
    }
}
