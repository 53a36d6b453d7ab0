/// One event of a `text/event-stream` response.
public struct ServerSentEvent: Sendable, Hashable {
    public var event: String?
    public var data: String
    public var id: String?
}

/// Splits a `text/event-stream` byte stream into events (WHATWG rules: `data:` lines join with "\n",
/// a blank line dispatches, lines starting with ":" are comments, CR LF and LF both end lines).
/// Bytes may arrive cut anywhere, even inside a UTF-8 character.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var data: [String] = []
    private var event: String?
    private var id: String?

    public init() {}

    /// The events completed by `bytes`.
    public mutating func push<Bytes: Sequence>(_ bytes: Bytes) -> [ServerSentEvent] where Bytes.Element == UInt8 {
        var out: [ServerSentEvent] = []
        for b in bytes {
            if b == 0x0A {
                if line.last == 0x0D { line.removeLast() }
                if let e = take(String(decoding: line, as: UTF8.self)) { out.append(e) }
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(b)
            }
        }
        return out
    }

    /// The last event when the stream ends without its blank line.
    public mutating func finish() -> ServerSentEvent? {
        if !line.isEmpty {
            _ = take(String(decoding: line, as: UTF8.self))
            line.removeAll()
        }
        return take("")
    }

    private mutating func take(_ line: String) -> ServerSentEvent? {
        if line.isEmpty {
            defer { data.removeAll(); event = nil }
            guard !data.isEmpty else { return nil }
            return ServerSentEvent(event: event, data: data.joined(separator: "\n"), id: id)
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring, value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            var v = line[line.index(after: colon)...]
            if v.hasPrefix(" ") { v = v.dropFirst() }
            value = v
        } else {
            field = Substring(line)
            value = ""
        }
        switch field {
        case "data": data.append(String(value))
        case "event": event = String(value)
        case "id": id = String(value)
        default: break
        }
        return nil
    }
}
