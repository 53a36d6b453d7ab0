import Foundation

/// Levels 1...100 from the leader score (Open Assistant's threshold table).
public enum Level {
    /// `[0] + round(cumsum(i·1.1521 + 3) for i in 1...99)`: 0, 4, 9, 16, 24, 32, 42, ... 6000.
    public static let thresholds: [Int] = {
        var result = [0]
        var sum = 0.0
        for i in 1..<100 {
            sum += Double(i) * 1.1521 + 3
            // numpy rounds half to even
            result.append(Int(sum.rounded(.toNearestOrEven)))
        }
        return result
    }()

    /// The number of thresholds the score reaches: 1 for 0 points, 100 from 6000 points.
    public static func level(forScore score: Int) -> Int {
        max(1, thresholds.filter { $0 <= score }.count)
    }

    /// Points at which the level after `level` starts, or nil at the top.
    public static func nextThreshold(after level: Int) -> Int? {
        level < thresholds.count ? thresholds[level] : nil
    }
}
