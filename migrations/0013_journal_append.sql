-- A submission's journal rows were inserted by a statement of their own just before the commit, a round trip
-- made while the tree row stayed locked and other contributors' submits to that tree waited. With the insert in
-- a function, a submission's write statement (its label, ranking or reply, with their counts) appends them as
-- well. The rows keep their order; the commit still inserts whatever a transaction journals after its write.
CREATE FUNCTION journal_append(p_rows jsonb) RETURNS void LANGUAGE sql AS $$
    INSERT INTO journal (user_id, action, message_id, tree_id, task_id, payload)
    SELECT (e.row->>'userID')::uuid, e.row->>'action', (e.row->>'messageID')::uuid, (e.row->>'treeID')::uuid,
           (e.row->>'taskID')::uuid, e.row->'payload'
    FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS e(row, n)
    ORDER BY e.n
$$;
