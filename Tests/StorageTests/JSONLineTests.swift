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
}
