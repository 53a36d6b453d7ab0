-- Moderators' full-text search moves out of the messages table. Computing a message's search vector and adding
-- it to the GIN index was two thirds of the database's work of storing a message; like Open Assistant's
-- periodic job, the search indexer now does it after the fact, so neither a contributor's submit (inside its
-- tree lock) nor an import waits for it. A search first indexes what is waiting, so results stay current.
DROP INDEX messages_search;
ALTER TABLE messages DROP COLUMN search;

CREATE TABLE message_search (
    message_id  uuid PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    search      tsvector NOT NULL
);
CREATE INDEX message_search_vector ON message_search USING gin (search);

-- Messages whose text is new or changed since it was last indexed. No foreign key: the indexer skips ids
-- whose message is gone, and a bulk insert should not pay a second lookup per row.
CREATE TABLE message_search_queue (
    message_id  uuid PRIMARY KEY
);

CREATE FUNCTION queue_new_messages_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO message_search_queue (message_id) SELECT id FROM new_messages ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER messages_queue_search_on_insert AFTER INSERT ON messages
    REFERENCING NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION queue_new_messages_for_search();

CREATE FUNCTION queue_edited_message_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO message_search_queue (message_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER messages_queue_search_on_edit AFTER UPDATE OF text ON messages
    FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION queue_edited_message_for_search();

INSERT INTO message_search_queue (message_id) SELECT id FROM messages;
