/// Every threshold of the tree manager, with Open Assistant's defaults. Decoding fills any missing key with its
/// default, so an override only needs the keys it changes.
public struct TreeManagerConfiguration: Codable, Sendable, Equatable {
    /// Maximum number of `growing` trees per language; the prompt lottery refills up to this.
    public var maxActiveTrees = 10
    /// Cap on prompts under review before no more initial-prompt tasks are handed out.
    public var maxInitialPromptReview = 100
    /// Parents must have `depth < maxTreeDepth`, so messages go down to depth 3 (prompt 0, assistant 1, prompter 2, assistant 3).
    public var maxTreeDepth = 3
    /// Maximum replies per message.
    public var maxChildrenCount = 3
    /// Maximum prompter replies per assistant message.
    public var numPrompterReplies = 1
    /// Accepted messages (root included) a tree collects before it is ranked.
    public var goalTreeSize = 12
    /// When set, each new tree draws its goal uniformly from `minGoalTreeSize...goalTreeSize`.
    public var randomGoalTreeSize = false
    public var minGoalTreeSize = 5
    public var numReviewsInitialPrompt = 3
    public var numReviewsReply = 3
    /// Acceptance must be strictly greater than the threshold.
    public var acceptanceThresholdInitialPrompt = 0.6
    public var acceptanceThresholdReply = 0.6
    /// Completed ranking tasks needed per rankable parent before the tree is scored.
    public var numRequiredRankings = 3
    public var autoModEnabled = true
    /// A message skipped this many times (`>=`) by repliers halts its tree.
    public var autoModMaxSkipReply = 25
    /// This many red flags (`>=`) delete a reply with its subtree, or abort the tree when on the prompt.
    public var autoModRedFlags = 4
    /// Probability that a random label task asks every label instead of the simple set. (Open Assistant overwrote
    /// the prompter value with 0.1 at run time; here the configured value is the one used.)
    public var pFullLabelingReviewPrompt = 1.0
    public var pFullLabelingReviewReplyAssistant = 1.0
    public var pFullLabelingReviewReplyPrompter = 0.25
    /// Whether prompter replies are ranked too (assistant replies always are).
    public var rankPrompterReplies = false
    /// Prompter parents with fewer active children than this (but at least one) are preferred for replies,
    /// so that rankable sibling sets form early.
    public var lonelyChildrenCount = 2
    public var pLonelyChildExtension = 0.75
    /// Window for the pending-task cap and for the soft lock on parents with an open reply task.
    public var recentTasksSpanSeconds = 300
    public var maxPendingTasksPerUser = 8
    /// Probability to move a backlog tree into ranking when an active tree of its language finishes.
    public var pActivateBacklogTree = 0.1
    /// Activate a backlog tree whenever fewer incomplete rankings than this exist in the language.
    public var minActiveRankingsPerLang = 0
    /// Cap on accepted prompts waiting for the lottery, per language.
    public var maxPromptLotteryWaiting = 250
    /// Trees the lottery may activate per availability check and per task request (keeps write conflicts low).
    public var lotteryActivationsPerAvailabilityCheck = 1
    public var lotteryActivationsPerTaskRequest = 2
    /// Languages in which no new initial prompts are asked for.
    public var initPromptDisabledLangs: [String] = []
    public var taskWeights = TaskWeights()

    public var labelsInitialPrompt: [TextLabel] = [
        .spam, .langMismatch, .quality, .creativity, .humor, .toxicity, .violence, .notAppropriate, .pii, .hateSpeech,
        .sexualContent,
    ]
    public var labelsAssistantReply: [TextLabel] = [
        .spam, .langMismatch, .failsTask, .quality, .helpfulness, .creativity, .humor, .toxicity, .violence,
        .notAppropriate, .pii, .hateSpeech, .sexualContent,
    ]
    public var labelsPrompterReply: [TextLabel] = [
        .spam, .langMismatch, .quality, .creativity, .humor, .toxicity, .violence, .notAppropriate, .pii, .hateSpeech,
        .sexualContent,
    ]
    public var mandatoryLabelsInitialPrompt: [TextLabel] = [.spam]
    public var mandatoryLabelsAssistantReply: [TextLabel] = [.spam]
    public var mandatoryLabelsPrompterReply: [TextLabel] = [.spam]

    public init() {}

    public static let `default` = TreeManagerConfiguration()

    public func numReviews(isRoot: Bool) -> Int {
        isRoot ? numReviewsInitialPrompt : numReviewsReply
    }

    public func acceptanceThreshold(isRoot: Bool) -> Double {
        isRoot ? acceptanceThresholdInitialPrompt : acceptanceThresholdReply
    }

    /// Roles of sibling sets that are ranked.
    public var rankedRoles: Set<MessageRole> {
        rankPrompterReplies ? [.assistant, .prompter] : [.assistant]
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TreeManagerConfiguration()
        func v<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        maxActiveTrees = try v(.maxActiveTrees, d.maxActiveTrees)
        maxInitialPromptReview = try v(.maxInitialPromptReview, d.maxInitialPromptReview)
        maxTreeDepth = try v(.maxTreeDepth, d.maxTreeDepth)
        maxChildrenCount = try v(.maxChildrenCount, d.maxChildrenCount)
        numPrompterReplies = try v(.numPrompterReplies, d.numPrompterReplies)
        goalTreeSize = try v(.goalTreeSize, d.goalTreeSize)
        randomGoalTreeSize = try v(.randomGoalTreeSize, d.randomGoalTreeSize)
        minGoalTreeSize = try v(.minGoalTreeSize, d.minGoalTreeSize)
        numReviewsInitialPrompt = try v(.numReviewsInitialPrompt, d.numReviewsInitialPrompt)
        numReviewsReply = try v(.numReviewsReply, d.numReviewsReply)
        acceptanceThresholdInitialPrompt = try v(.acceptanceThresholdInitialPrompt, d.acceptanceThresholdInitialPrompt)
        acceptanceThresholdReply = try v(.acceptanceThresholdReply, d.acceptanceThresholdReply)
        numRequiredRankings = try v(.numRequiredRankings, d.numRequiredRankings)
        autoModEnabled = try v(.autoModEnabled, d.autoModEnabled)
        autoModMaxSkipReply = try v(.autoModMaxSkipReply, d.autoModMaxSkipReply)
        autoModRedFlags = try v(.autoModRedFlags, d.autoModRedFlags)
        pFullLabelingReviewPrompt = try v(.pFullLabelingReviewPrompt, d.pFullLabelingReviewPrompt)
        pFullLabelingReviewReplyAssistant = try v(.pFullLabelingReviewReplyAssistant, d.pFullLabelingReviewReplyAssistant)
        pFullLabelingReviewReplyPrompter = try v(.pFullLabelingReviewReplyPrompter, d.pFullLabelingReviewReplyPrompter)
        rankPrompterReplies = try v(.rankPrompterReplies, d.rankPrompterReplies)
        lonelyChildrenCount = try v(.lonelyChildrenCount, d.lonelyChildrenCount)
        pLonelyChildExtension = try v(.pLonelyChildExtension, d.pLonelyChildExtension)
        recentTasksSpanSeconds = try v(.recentTasksSpanSeconds, d.recentTasksSpanSeconds)
        maxPendingTasksPerUser = try v(.maxPendingTasksPerUser, d.maxPendingTasksPerUser)
        pActivateBacklogTree = try v(.pActivateBacklogTree, d.pActivateBacklogTree)
        minActiveRankingsPerLang = try v(.minActiveRankingsPerLang, d.minActiveRankingsPerLang)
        maxPromptLotteryWaiting = try v(.maxPromptLotteryWaiting, d.maxPromptLotteryWaiting)
        lotteryActivationsPerAvailabilityCheck = try v(
            .lotteryActivationsPerAvailabilityCheck, d.lotteryActivationsPerAvailabilityCheck)
        lotteryActivationsPerTaskRequest = try v(.lotteryActivationsPerTaskRequest, d.lotteryActivationsPerTaskRequest)
        initPromptDisabledLangs = try v(.initPromptDisabledLangs, d.initPromptDisabledLangs)
        taskWeights = try v(.taskWeights, d.taskWeights)
        labelsInitialPrompt = try v(.labelsInitialPrompt, d.labelsInitialPrompt)
        labelsAssistantReply = try v(.labelsAssistantReply, d.labelsAssistantReply)
        labelsPrompterReply = try v(.labelsPrompterReply, d.labelsPrompterReply)
        mandatoryLabelsInitialPrompt = try v(.mandatoryLabelsInitialPrompt, d.mandatoryLabelsInitialPrompt)
        mandatoryLabelsAssistantReply = try v(.mandatoryLabelsAssistantReply, d.mandatoryLabelsAssistantReply)
        mandatoryLabelsPrompterReply = try v(.mandatoryLabelsPrompterReply, d.mandatoryLabelsPrompterReply)
    }
}
