/// One reviewer's answers on a label task. A label the reviewer did not answer is absent, never 0.
public typealias LabelValues = [TextLabel: Double]

/// How a message's reviews decide whether it stays in the data.
public enum ReviewRules {
    /// `1 − (mean spam + mean lang_mismatch)`, each mean taken over the reviews that answered that label.
    /// A label nobody answered contributes 0. Returns nil when there is no review at all.
    public static func acceptance(of reviews: [LabelValues]) -> Double? {
        guard !reviews.isEmpty else { return nil }
        return 1 - (mean(of: .spam, in: reviews) + mean(of: .langMismatch, in: reviews))
    }

    /// The mean of the answers to one label, or 0 when nobody answered it.
    public static func mean(of label: TextLabel, in reviews: [LabelValues]) -> Double {
        let answers = reviews.compactMap { $0[label] }
        guard !answers.isEmpty else { return 0 }
        return answers.reduce(0, +) / Double(answers.count)
    }

    /// The review result a message should have after a task review, or nil to leave it unchanged.
    ///
    /// Nothing is decided before the configured number of reviews. Then the message is accepted when acceptance is
    /// strictly above the threshold. Otherwise it is rejected, unless it was already decided: an acceptance is
    /// never taken back by later reviews, and a rejection is only turned into acceptance by the score.
    /// - Parameter reviews: the label values of every completed review task of the message.
    public static func decision(
        for message: MessageSnapshot, reviews: [LabelValues], _ config: TreeManagerConfiguration
    ) -> Bool? {
        guard message.reviewCount >= config.numReviews(isRoot: message.isRoot), message.reviewResult != true,
            let acceptance = acceptance(of: reviews)
        else { return nil }
        if acceptance > config.acceptanceThreshold(isRoot: message.isRoot) { return true }
        return message.reviewResult == nil ? false : nil
    }
}
