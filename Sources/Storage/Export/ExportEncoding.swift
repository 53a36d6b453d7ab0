import Foundation

/// Writes trees and messages in the oasst export layout (`ExportMessageTree` / `ExportMessageNode`, fields in
/// the schema's order, null fields omitted) and flat rows in the Hugging Face dataset's columns, each into a
/// writer the caller resets and reuses line after line.
struct ExportEncoding {
    let ids: IDWriter
    let labels: Bool
    let events: Bool

    func tree(_ layout: TreeLayout, root: Int, state: String, origin: String?, into json: inout JSONLine) {
        json.beginObject()
        json.key("message_tree_id"); ids.write(layout.messages[root].treeID, .messageTree, into: &json)
        json.member("tree_state", state)
        json.key("prompt")
        node(layout, root, into: &json)
        json.member("origin", origin)
        json.endObject()
    }

    func flat(_ message: ExportedMessage, state: String, into json: inout JSONLine) {
        json.beginObject()
        commonFields(message, into: &json)
        json.key("message_tree_id"); ids.write(message.treeID, .messageTree, into: &json)
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
    }

    private func node(_ layout: TreeLayout, _ position: Int, into json: inout JSONLine) {
        let message = layout.messages[position]
        json.beginObject()
        commonFields(message, into: &json)
        if message.hasEmojis { json.key("emojis"); json.raw(message.emojisJSON) }
        json.key("replies")
        json.beginArray()
        for reply in layout.replies(of: position) { node(layout, reply, into: &json) }
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
        json.key("message_id"); ids.write(message.id, .message, into: &json)
        if let parent = message.parentID { json.key("parent_id"); ids.write(parent, .message, into: &json) }
        if let author = message.authorID { json.key("user_id"); ids.write(author, .user, into: &json) }
        json.key("created_date"); json.timestamp(message.createdAt)
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
                json.key("user_id"); ids.write(event.user, .user, into: &json)
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
                json.key("user_id"); ids.write(event.user, .user, into: &json)
                json.key("ranking"); json.beginArray(); for index in event.rankedMessageIDs.indices { json.int(index) }; json.endArray()
                json.key("ranked_message_ids"); json.beginArray(); for id in event.rankedMessageIDs { ids.write(id, .message, into: &json) }; json.endArray()
                json.key("ranking_parent_id"); ids.write(message.id, .message, into: &json)
                json.key("message_tree_id"); ids.write(message.treeID, .messageTree, into: &json)
                if event.notRankable { json.member("not_rankable", true) }
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
    }
}
