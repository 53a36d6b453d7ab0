import Foundation
@testable import Storage
import Testing

@Suite("Reading oasst lines")
struct ImportLineTests {
    func read(_ json: String) throws -> ImportLine {
        var json = json
        return try json.withUTF8 { try ImportLine(json: $0) }
    }

    func failure(_ json: String) -> String? {
        do {
            _ = try read(json)
            return nil
        } catch let error as ImportLineError {
            return error.reason
        } catch {
            return "\(error)"
        }
    }

    @Test("escapes, unicode and nested replies come out as JSONSerialization reads them")
    func escapes() throws {
        let text = "quote \" backslash \\ slash / tab \t newline \n é 😀 \u{1}"
        let escaped = String(decoding: try JSONSerialization.data(withJSONObject: ["t": text]), as: UTF8.self)
            .dropFirst(5).dropLast()
        let line = """
            {"message_tree_id": "t1", "tree_state": "ready_for_export", "extra": [1, {"a": null}, true],
             "prompt": {"message_id": "m1", "text": \(escaped), "role": "prompter", "rank": 1.0, "synthetic": false,
                        "replies": [{"message_id": "m2", "parent_id": "m1", "text": "\\u00e9\\ud83d\\ude00", "role": "assistant",
                                     "emojis": {"+1": 2}, "replies": null}]}}
            """
        guard case .tree(let tree) = try read(line) else { Issue.record("not read as a tree"); return }
        #expect(tree.message_tree_id == "t1" && tree.tree_state == "ready_for_export")
        #expect(tree.prompt.text == text)
        #expect(tree.prompt.rank == 1 && tree.prompt.synthetic == false)
        #expect(tree.prompt.replies.count == 1)
        #expect(tree.prompt.replies[0].text == "é😀")
        #expect(tree.prompt.replies[0].emojis == ["+1": 2])
    }

    @Test("flat rows with the dataset's columns read like the tree files' maps")
    func columns() throws {
        let line = """
            {"message_id": "m1", "message_tree_id": "t1", "tree_state": "growing", "text": "hi", "role": "prompter",
             "emojis": {"name": ["+1", "_skip_reply"], "count": [3, 1]},
             "labels": {"name": ["quality", "spam"], "value": [0.5, null], "count": [2, 1]}}
            """
        guard case .message(let node) = try read(line) else { Issue.record("not read as a message"); return }
        #expect(node.emojis == ["+1": 3, "_skip_reply": 1])
        #expect(node.labels["quality"]?.value == 0.5 && node.labels["quality"]?.count == 2)
        #expect(node.labels["spam"]?.value == nil && node.labels["spam"]?.count == 1)
        #expect(node.message_tree_id == "t1" && node.tree_state == "growing")
    }

    @Test("a bad line is described by the field at fault")
    func reasons() {
        #expect(failure(#"{"prompt": {"message_id": "m1", "role": "prompter", "replies": []}}"#) == "missing field 'prompt.text'")
        #expect(failure(#"{"prompt": {"message_id": "m1", "text": "x", "role": "prompter", "replies": [{"message_id": "m2", "text": 5, "role": "assistant"}]}}"#)
                == "wrong type for 'prompt.replies.0.text'")
        #expect(failure(#"{"message_id": "m1", "text": "x", "role": "prompter", "rank": 1.5}"#) == "wrong type for 'rank'")
        #expect(failure(#"{"text": "x"}"#) == "neither a tree (prompt) nor a message (message_id)")
        #expect(failure(#"{"message_id": "m1", "text": "x""#)?.hasPrefix("not valid JSON: ") == true)
        #expect(failure(#"{"message_id": "m1", "text": "x", "role": "prompter"} trailing"#)?.hasPrefix("not valid JSON: ") == true)
    }

    @Test("ids: UUIDs are kept in either case, anything else maps to a stable UUID")
    func ids() {
        let id = UUID()
        #expect(ImportID.uuid(id.uuidString.lowercased()) == id)
        #expect(ImportID.uuid(id.uuidString) == id)
        #expect(ImportID.uuid("abc") == ImportID.uuid("abc"))
        #expect(ImportID.uuid("abc") != ImportID.uuid("abd"))
        #expect(ImportID.parse("0123456789abcdef0123456789abcdef0123") == nil)
    }
}
