/// How a conversation is laid out as one prompt for a model.
///
/// A prompt ends with the opening of the assistant's turn, so the model's continuation is the reply.
/// When the last message is already the assistant's, its turn is left open instead: the model continues
/// that reply (Open Assistant's most requested missing feature, "continue").
public enum ChatFormat: String, Codable, Sendable, CaseIterable {
    /// Gemma: `<start_of_turn>user\n…<end_of_turn>\n<start_of_turn>model\n`. Gemma has no system role;
    /// as in its official template the system prompt opens the first user turn.
    case gemma
    /// ChatML (Qwen, SmolLM, many fine-tunes): `<|im_start|>user\n…<|im_end|>\n`.
    case chatML = "chatml"
    /// Llama 3: `<|start_header_id|>user<|end_header_id|>\n\n…<|eot_id|>`.
    case llama3
    /// Open Assistant's own SFT format: `<|prompter|>…<|endoftext|><|assistant|>`.
    case openAssistant = "oasst"
    /// A plain "User: / Assistant:" transcript for base models that know no chat tokens.
    case transcript

    /// Text that marks the end of the assistant's turn (or the start of another) in this format.
    /// The engine stops on these in chat mode, so a base model that keeps writing the dialogue
    /// is cut at the turn boundary.
    public var stopSequences: [String] {
        switch self {
        case .gemma: return ["<end_of_turn>", "<start_of_turn>"]
        case .chatML: return ["<|im_end|>", "<|im_start|>"]
        case .llama3: return ["<|eot_id|>", "<|start_header_id|>"]
        case .openAssistant: return ["<|prompter|>", "<|assistant|>", "<|system|>", "<|endoftext|>"]
        case .transcript: return ["\nUser:", "\nAssistant:"]
        }
    }

    /// The conversation laid out as prompt segments. System messages (wherever they are) form the
    /// system prompt; the others are the turns, in order.
    public func render(_ messages: [ChatMessage]) -> [PromptSegment] {
        let system = messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        let turns = messages.filter { $0.role != .system }
        let continues = turns.last?.role == .assistant
        var out: [PromptSegment] = []
        switch self {
        case .gemma:
            var pendingSystem = system.isEmpty ? nil : system
            if let s = pendingSystem, turns.first?.role != .user {
                out += [.control("<start_of_turn>"), .text("user\n\(s)"), .control("<end_of_turn>"), .text("\n")]
                pendingSystem = nil
            }
            for (i, m) in turns.enumerated() {
                let role = m.role == .user ? "user" : "model"
                var content = m.content
                if m.role == .user, let s = pendingSystem {
                    content = "\(s)\n\n\(content)"
                    pendingSystem = nil
                }
                out += [.control("<start_of_turn>"), .text("\(role)\n\(content)")]
                if !(continues && i == turns.count - 1) { out += [.control("<end_of_turn>"), .text("\n")] }
            }
            if !continues { out += [.control("<start_of_turn>"), .text("model\n")] }
        case .chatML:
            func open(_ role: String) -> [PromptSegment] { [.control("<|im_start|>"), .text("\(role)\n")] }
            if !system.isEmpty { out += open("system") + [.text(system), .control("<|im_end|>"), .text("\n")] }
            for (i, m) in turns.enumerated() {
                out += open(m.role.rawValue) + [.text(m.content)]
                if !(continues && i == turns.count - 1) { out += [.control("<|im_end|>"), .text("\n")] }
            }
            if !continues { out += open("assistant") }
        case .llama3:
            func header(_ role: String) -> [PromptSegment] {
                [.control("<|start_header_id|>"), .text(role), .control("<|end_header_id|>"), .text("\n\n")]
            }
            if !system.isEmpty { out += header("system") + [.text(system), .control("<|eot_id|>")] }
            for (i, m) in turns.enumerated() {
                out += header(m.role.rawValue) + [.text(m.content)]
                if !(continues && i == turns.count - 1) { out.append(.control("<|eot_id|>")) }
            }
            if !continues { out += header("assistant") }
        case .openAssistant:
            if !system.isEmpty { out += [.control("<|system|>"), .text(system), .endOfText] }
            for (i, m) in turns.enumerated() {
                out += [.control(m.role == .user ? "<|prompter|>" : "<|assistant|>"), .text(m.content)]
                if !(continues && i == turns.count - 1) { out.append(.endOfText) }
            }
            if !continues { out.append(.control("<|assistant|>")) }
        case .transcript:
            var text = system.isEmpty ? "" : "\(system)\n\n"
            for m in turns {
                text += m.role == .user ? "User: \(m.content)\n" : "Assistant: \(m.content)\n"
            }
            if continues {
                text.removeLast()  // the open reply goes on where it stopped
            } else {
                text += "Assistant:"
            }
            out = [.text(text)]
        }
        return out
    }
}
