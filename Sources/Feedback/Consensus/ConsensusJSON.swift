import Foundation

/// The JSON contract of `oasst consensus`: `{"rankings": [["id1","id2",...], ...]}` in,
/// `{"ranking": [...]}` (best first) out. Lets the consensus rule be checked from outside.
public enum ConsensusJSON {
    public struct Request: Codable, Sendable {
        public var rankings: [[String]]
    }

    public struct Response: Codable, Sendable, Equatable {
        public var ranking: [String]
    }

    public enum InputError: Error, Equatable, CustomStringConvertible {
        case invalidJSON(String)

        public var description: String {
            switch self {
            case .invalidJSON(let detail):
                return "expected JSON of the form {\"rankings\": [[\"id1\", \"id2\", ...], ...]}: \(detail)"
            }
        }
    }

    /// Parses the request, runs ranked pairs and encodes the response (one line, ending in a newline).
    public static func respond(to input: Data) throws(InputError) -> Data {
        let request: Request
        do {
            request = try JSONDecoder().decode(Request.self, from: input)
        } catch let error as DecodingError {
            throw .invalidJSON(describe(error))
        } catch {
            throw .invalidJSON("\(error)")
        }
        let response = Response(ranking: RankedPairs.rank(request.rankings))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let body = (try? encoder.encode(response)) ?? Data("{\"ranking\":[]}".utf8)
        return body + Data("\n".utf8)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            return context.underlyingError.map { "not valid JSON (\($0.localizedDescription))" } ?? context.debugDescription
        case .keyNotFound(let key, _):
            return "missing key \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "wrong type at \(path.isEmpty ? "top level" : path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
