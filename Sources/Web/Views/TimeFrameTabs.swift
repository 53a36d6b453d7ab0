import Feedback

/// The day / week / month / total tabs shared by the leaderboard and the trollboard.
enum TimeFrameTabs {
    static func title(_ frame: TimeFrame) -> String {
        switch frame {
        case .day: return "Last 24 hours"
        case .week: return "This week"
        case .month: return "This month"
        case .total: return "All time"
        }
    }

    static func values(selected: TimeFrame, path: String) -> [[String: Any]] {
        TimeFrame.allCases.map { frame in
            ["href": "\(path)?frame=\(frame.rawValue)", "title": title(frame), "selected": frame == selected]
        }
    }

    /// The frame named in the query; an unknown name is a clear error rather than a silent default.
    static func parse(_ raw: String?) throws -> TimeFrame {
        guard let raw, !raw.isEmpty else { return .total }
        guard let frame = TimeFrame(rawValue: raw) else {
            throw AppError.badRequest("“\(raw.prefix(40))” is not a time frame; choose day, week, month or total.")
        }
        return frame
    }
}
