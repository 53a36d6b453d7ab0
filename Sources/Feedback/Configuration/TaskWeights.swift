/// Relative weights of the task classes for a random task. A class without candidates gets no weight; the rest are
/// normalised. Ranking is favoured because it completes trees; prompts are nearly never drawn because the pool of
/// waiting prompts is large already.
public struct TaskWeights: Codable, Sendable, Equatable {
    public var ranking: Double = 10
    public var labelReply: Double = 5
    public var labelPrompt: Double = 5
    public var reply: Double = 2
    public var prompt: Double = 0.01

    public init() {}

    public init(ranking: Double, labelReply: Double, labelPrompt: Double, reply: Double, prompt: Double) {
        self.ranking = ranking
        self.labelReply = labelReply
        self.labelPrompt = labelPrompt
        self.reply = reply
        self.prompt = prompt
    }

    public func weight(of taskClass: TaskClass) -> Double {
        switch taskClass {
        case .ranking: return ranking
        case .labelReply: return labelReply
        case .labelPrompt: return labelPrompt
        case .reply: return reply
        case .prompt: return prompt
        }
    }
}
