import Foundation

/// Writes trees and messages in the oasst export layout (`ExportMessageTree` / `ExportMessageNode`, fields in
/// the schema's order, null fields omitted) and flat rows in the Hugging Face dataset's columns.
struct ExportEncoding {
    let ids: IDWriter
    let labels: Bool
    let events: Bool

    func tree(_ root: ExportedMessage, state: String, origin: String?) -> [UInt8] {
        var json = JSONLine()
        json.beginObject()
        json.member("message_tree_id", ids(root.treeID, .messageTree))
        json.member("tree_state", state)
        json.key("prompt")
        node(root, into: &json)
        json.member("origin", origin)
        json.endObject()
        return json.bytes
    }

    func flat(_ message: ExportedMessage, state: String) -> [UInt8] {
        var json = JSONLine()
        json.beginObject()
        commonFields(message, into: &json)
        json.member("message_tree_id", ids(message.treeID, .messageTree))
        json.member("tree_state", state)
        let emojis = message.emojiCounts
        if !emojis.isEmpty {
            json.key("emojis")
            json.beginObject()
            json.key("name"); json.beginArray(); for (name, _) in emojis { json.string(name) }; json.endArray()
            json.key("count"); json.beginArray(); for (_, count) in emojis { json.int(count) }; json.endArray()
            json.endObject()
        }
        if labels && !message.labels.isEmpty {
            json.key("labels")
            json.beginObject()
            json.key("name"); json.beginArray(); for label in message.labels { json.string(label.name) }; json.endArray()
            json.key("value"); json.beginArray(); for label in message.labels { json.double(label.value) }; json.endArray()
            json.key("count"); json.beginArray(); for label in message.labels { json.int(label.count) }; json.endArray()
            json.endObject()
        }
        if events { eventsMember(message, into: &json) }
        json.endObject()
        return json.bytes
    }

    private func node(_ message: ExportedMessage, into json: inout JSONLine) {
        json.beginObject()
        commonFields(message, into: &json)
        if message.hasEmojis { json.key("emojis"); json.raw(message.emojisJSON) }
        json.key("replies")
        json.beginArray()
        for reply in message.replies { node(reply, into: &json) }
        json.endArray()
        if labels && !message.labels.isEmpty {
            json.key("labels")
            json.beginObject()
            for label in message.labels {
                json.key(label.name)
                json.beginObject()
                json.key("value"); json.double(label.value)
                json.key("count"); json.int(label.count)
                json.endObject()
            }
            json.endObject()
        }
        if events { eventsMember(message, into: &json) }
        json.endObject()
    }

    private func commonFields(_ message: ExportedMessage, into json: inout JSONLine) {
        json.member("message_id", ids(message.id, .message))
        json.member("parent_id", message.parentID.map { ids($0, .message) })
        json.member("user_id", message.authorID.map { ids($0, .user) })
        json.member("created_date", message.createdDate)
        json.member("text", message.text)
        json.member("role", message.role)
        json.member("lang", message.lang)
        json.member("review_count", message.reviewCount)
        json.member("review_result", message.exportedReviewResult)
        json.member("deleted", message.deleted)
        json.member("rank", message.rank)
        json.member("synthetic", message.synthetic)
        json.member("model_name", message.modelName)
    }

    private func eventsMember(_ message: ExportedMessage, into json: inout JSONLine) {
        guard !message.emojiEvents.isEmpty || !message.rankingEvents.isEmpty else { return }
        json.key("events")
        json.beginObject()
        if !message.emojiEvents.isEmpty {
            json.key("emoji")
            json.beginArray()
            for event in message.emojiEvents {
                json.beginObject()
                json.member("type", "emoji")
                json.member("user_id", ids(event.user, .user))
                json.member("emoji", event.emoji)
                json.endObject()
            }
            json.endArray()
        }
        if !message.rankingEvents.isEmpty {
            json.key("ranking")
            json.beginArray()
            for event in message.rankingEvents {
                // Rankings are stored best first, so `ranking[i]` is the place of `ranked_message_ids[i]`.
                json.beginObject()
                json.member("type", "ranking")
                json.member("user_id", ids(event.user, .user))
                json.key("ranking"); json.beginArray(); for index in event.rankedMessageIDs.indices { json.int(index) }; json.endArray()
                json.key("ranked_message_ids"); json.beginArray(); for id in event.rankedMessageIDs { json.string(ids(id, .message)) }; json.endArray()
                json.member("ranking_parent_id", ids(message.id, .message))
                json.member("message_tree_id", ids(message.treeID, .messageTree))
                if event.notRankable { json.member("not_rankable", true) }
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
    }
}
