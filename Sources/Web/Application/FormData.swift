import Foundation

/// The fields of an `application/x-www-form-urlencoded` body. Repeated names keep every value in order.
public struct FormData: Sendable {
    private var fields: [(String, String)] = []

    public init() {}

    public init(urlEncoded body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            fields.append((name, value))
        }
    }

    public subscript(name: String) -> String? {
        fields.first { $0.0 == name }?.1
    }

    public func all(_ name: String) -> [String] {
        fields.filter { $0.0 == name }.map(\.1)
    }

    public var names: [String] { fields.map(\.0) }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
