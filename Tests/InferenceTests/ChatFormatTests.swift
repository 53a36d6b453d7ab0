import Testing
@testable import Inference

@Suite("ChatFormat")
struct ChatFormatTests {
    let conversation: [ChatMessage] = [
        .system("Be brief."),
        .user("Hi"),
        .assistant("Hello!"),
        .user("What is 2+2?"),
    ]

    @Test func gemmaPutsTheSystemPromptIntoTheFirstUserTurn() {
        let s = ChatFormat.gemma.render(conversation).rendered()
        #expect(s == "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n<start_of_turn>user\nWhat is 2+2?<end_of_turn>\n<start_of_turn>model\n")
    }

    @Test func chatML() {
        let s = ChatFormat.chatML.render(conversation).rendered()
        #expect(s == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func llama3() {
        let s = ChatFormat.llama3.render([.system("S"), .user("U")]).rendered()
        #expect(s == "<|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
    }

    @Test func openAssistantUsesTheModelsEndOfText() {
        let segments = ChatFormat.openAssistant.render(conversation)
        #expect(segments.rendered() == "<|system|>Be brief.<|endoftext|><|prompter|>Hi<|endoftext|><|assistant|>Hello!<|endoftext|><|prompter|>What is 2+2?<|endoftext|><|assistant|>")
        #expect(segments.rendered(endOfText: "</s>").hasPrefix("<|system|>Be brief.</s><|prompter|>"))
    }

    @Test func transcriptForBaseModels() {
        let s = ChatFormat.transcript.render(conversation).rendered()
        #expect(s == "Be brief.\n\nUser: Hi\nAssistant: Hello!\nUser: What is 2+2?\nAssistant:")
        #expect(ChatFormat.transcript.stopSequences.contains("\nUser:"))
    }

    @Test func aFinalAssistantMessageIsContinuedNotClosed() {
        let msgs: [ChatMessage] = [.user("Tell a story"), .assistant("Once upon")]
        #expect(ChatFormat.gemma.render(msgs).rendered() == "<start_of_turn>user\nTell a story<end_of_turn>\n<start_of_turn>model\nOnce upon")
        #expect(ChatFormat.chatML.render(msgs).rendered().hasSuffix("<|im_start|>assistant\nOnce upon"))
        #expect(ChatFormat.openAssistant.render(msgs).rendered() == "<|prompter|>Tell a story<|endoftext|><|assistant|>Once upon")
        #expect(ChatFormat.transcript.render(msgs).rendered() == "User: Tell a story\nAssistant: Once upon")
    }

    @Test func userTextStaysTextSoItCannotForgeTurns() {
        let segments = ChatFormat.gemma.render([.user("<end_of_turn>")])
        #expect(segments.contains(.text("user\n<end_of_turn>")))
        #expect(segments.filter { $0 == .control("<end_of_turn>") }.count == 1)
    }

    @Test func detectionFollowsTheChatTemplateAndFallsBackToATranscript() {
        let none: (String) -> Bool = { _ in false }
        let gemmaVocab: (String) -> Bool = { ["<start_of_turn>", "<end_of_turn>"].contains($0) }
        // A base Gemma (no template) gets the transcript; an instruction-tuned one its template's format.
        #expect(ChatFormat.detect(architecture: "gemma3", chatTemplate: nil, hasToken: gemmaVocab) == .transcript)
        #expect(ChatFormat.detect(architecture: "gemma3", chatTemplate: "{{ '<start_of_turn>' + role }}", hasToken: gemmaVocab) == .gemma)
        #expect(ChatFormat.detect(architecture: "llama", chatTemplate: "{% ... '<|start_header_id|>' ... %}", hasToken: none) == .llama3)
        #expect(ChatFormat.detect(architecture: "qwen2", chatTemplate: "<|im_start|>{{ role }}", hasToken: none) == .chatML)
        #expect(ChatFormat.detect(architecture: "llama", chatTemplate: nil, hasToken: { $0 == "<|prompter|>" || $0 == "<|assistant|>" }) == .openAssistant)
        #expect(ChatFormat.detect(architecture: "llama", chatTemplate: nil, hasToken: none) == .transcript)
        #expect(ChatFormat(name: "ChatML") == .chatML)
        #expect(ChatFormat(name: "oasst") == .openAssistant)
        #expect(ChatFormat(name: "nonsense") == nil)
    }
}

@Suite("ChatFormat truncation")
struct ChatFormatTruncationTests {
    /// Counts characters of the rendered transcript: a stand-in tokenizer that makes budgets easy to reason about.
    func length(_ m: [ChatMessage]) -> Int { ChatFormat.transcript.render(m).rendered().count }

    let long: [ChatMessage] = [
        .system("SYS"),
        .user("first question"), .assistant("first answer"),
        .user("second question"), .assistant("second answer"),
        .user("third"),
    ]

    @Test func everythingFitsNothingIsCut() throws {
        #expect(try ConversationWindow.fit(long, budget: 1000, length: length) == long)
    }

    @Test func theOldestTurnsGoAndTheSystemPromptStays() throws {
        let budget = length([.system("SYS"), .user("second question"), .assistant("second answer"), .user("third")])
        let kept = try ConversationWindow.fit(long, budget: budget, length: length)
        #expect(kept == [.system("SYS"), .user("second question"), .assistant("second answer"), .user("third")])
        #expect(length(kept) <= budget)
    }

    @Test func aLeadingAssistantTurnIsDropped() throws {
        let budget = length([.system("SYS"), .assistant("second answer"), .user("third")])
        let kept = try ConversationWindow.fit(long, budget: budget, length: length)
        #expect(kept == [.system("SYS"), .user("third")])
    }

    @Test func anOverlongLastMessageKeepsItsEnd() throws {
        let msgs: [ChatMessage] = [.system("SYS"), .user(String(repeating: "a", count: 100) + "END")]
        let kept = try ConversationWindow.fit(msgs, budget: 40, length: length)
        #expect(kept.first == .system("SYS"))
        #expect(kept.last!.content.hasSuffix("END"))
        #expect(length(kept) == 40)
    }

    @Test func aSystemPromptOverTheBudgetIsAClearError() {
        let msgs: [ChatMessage] = [.system(String(repeating: "s", count: 100)), .user("hi")]
        #expect(throws: GenerationError.self) { try ConversationWindow.fit(msgs, budget: 20, length: length) }
    }
}
