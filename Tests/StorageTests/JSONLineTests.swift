import Foundation
@testable import Storage
import Testing

@Suite("Writing JSON lines")
struct JSONLineTests {
    @Test("strings with quotes and control characters survive a round trip, ids are lowercase")
    func escaping() throws {
        let text = "a \"quoted\" \\ line\nwith\ttabs \u{1} and é 😀"
        let id = UUID()
        var json = JSONLine()
        json.beginObject()
        json.member("text", text)
        json.key("id"); json.uuid(id)
        json.key("list"); json.beginArray(); json.int(1); json.beginObject(); json.endObject(); json.bool(true); json.endArray()
        json.endObject()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(object["text"] as? String == text)
        #expect(object["id"] as? String == id.uuidString.lowercased())
        #expect((object["list"] as? [Any])?.count == 3)
        json.reset()
        json.beginObject(); json.member("a", 1); json.endObject()
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"a":1}"#)
    }

    @Test("escapes are found wherever they fall in long text")
    func escapesAtEveryOffset() throws {
        for special in ["\"", "\\", "\n", "\u{1F}", "é"] {
            for offset in 0..<40 {
                let text = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 40 - offset)
                var json = JSONLine()
                json.beginArray(); json.string(text); json.endArray()
                let decoded = try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String]
                #expect(decoded == [text], "\(special.debugDescription) at \(offset)")
            }
        }
    }

    @Test("timestamps are written like to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')")
    func timestamps() {
        func written(_ micros: Int64) -> String {
            var json = JSONLine()
            json.timestamp(PostgresTimestamp(microsecondsSince2000: micros))
            return String(decoding: json.bytes, as: UTF8.self)
        }
        #expect(written(0) == "\"2000-01-01T00:00:00.000000+00:00\"")
        #expect(written(-1) == "\"1999-12-31T23:59:59.999999+00:00\"")
        // 2023-02-05 12:34:56.789012 UTC and 2024-02-29 (a leap day) 23:00:00.000001 UTC.
        #expect(written(728_915_696_789_012) == "\"2023-02-05T12:34:56.789012+00:00\"")
        #expect(written(762_562_800_000_001) == "\"2024-02-29T23:00:00.000001+00:00\"")
        #expect(written(-946_684_800_000_000) == "\"1970-01-01T00:00:00.000000+00:00\"")
    }
}
