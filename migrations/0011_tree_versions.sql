-- Every task request lists the active trees of its language and reads again only those that changed since its
-- process last read them. It used to ask Postgres for a fingerprint per tree, a hash summed over the row
-- versions of all the tree's messages and rankings; under load that made the listing take 1.2–1.7 ms, most of
-- a task request's database time. Now every change to a tree's messages or rankings stamps the tree with a new
-- version, and the listing reads the stamp.
--
-- The stamps come from a sequence, so a value is never handed out twice: a version seen inside a transaction
-- that later rolled back never returns for other contents. Updates and deletes stamp the tree before their row
-- is changed, so a statement that changes a message outside a tree transaction (an emoji, a moderator's edit)
-- takes the tree row before the message row, in the same order as every tree transaction, and never deadlocks
-- with one. Inserts stamp once per statement, so an import of thousands of messages stamps each tree once.
CREATE SEQUENCE tree_versions;
ALTER TABLE message_trees ADD COLUMN version bigint NOT NULL DEFAULT nextval('tree_versions');

CREATE FUNCTION stamp_trees_of_inserted_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE message_trees t SET version = nextval('tree_versions')
    FROM (SELECT DISTINCT tree_id FROM inserted_rows) changed WHERE t.id = changed.tree_id;
    RETURN NULL;
END
$$;

CREATE FUNCTION stamp_tree_of_changed_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE message_trees SET version = nextval('tree_versions') WHERE id = OLD.tree_id;
        RETURN OLD;
    END IF;
    UPDATE message_trees SET version = nextval('tree_versions') WHERE id IN (OLD.tree_id, NEW.tree_id);
    RETURN NEW;
END
$$;

CREATE TRIGGER messages_stamp_tree_on_insert AFTER INSERT ON messages
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION stamp_trees_of_inserted_rows();
CREATE TRIGGER messages_stamp_tree_on_change BEFORE UPDATE OR DELETE ON messages
    FOR EACH ROW EXECUTE FUNCTION stamp_tree_of_changed_row();
CREATE TRIGGER rankings_stamp_tree_on_insert AFTER INSERT ON rankings
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION stamp_trees_of_inserted_rows();
CREATE TRIGGER rankings_stamp_tree_on_change BEFORE UPDATE OR DELETE ON rankings
    FOR EACH ROW EXECUTE FUNCTION stamp_tree_of_changed_row();
