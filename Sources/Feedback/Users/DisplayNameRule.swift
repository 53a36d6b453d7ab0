import Foundation

/// What a public display name may be: short enough for a leaderboard row, visible characters only,
/// and not the name that marks deleted accounts. Uniqueness (regardless of case) is the database's job.
public enum DisplayNameRule {
    public static let minimumLength = 2
    public static let maximumLength = 40
    public static let reservedNames: Set<String> = ["deleted user", "open assistant", "assistant", "admin", "moderator"]

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case tooShort, tooLong, controlCharacters, reserved

        public var description: String {
            switch self {
            case .tooShort: return "Your display name needs at least \(DisplayNameRule.minimumLength) characters."
            case .tooLong: return "Your display name can have at most \(DisplayNameRule.maximumLength) characters."
            case .controlCharacters: return "Your display name cannot contain line breaks, tabs or other invisible control characters."
            case .reserved: return "That display name is reserved. Please choose another."
            }
        }
    }

    /// The name with surrounding spaces removed and inner runs of spaces collapsed, or the problem with it.
    public static func normalised(_ raw: String) -> Result<String, Problem> {
        if raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return .failure(.controlCharacters)
        }
        let name = raw.split(whereSeparator: { $0 == " " }).joined(separator: " ")
        if name.count < minimumLength { return .failure(.tooShort) }
        if name.count > maximumLength { return .failure(.tooLong) }
        if reservedNames.contains(name.lowercased()) { return .failure(.reserved) }
        return .success(name)
    }
}
