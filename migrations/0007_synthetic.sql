-- Model-written replies: one account stands for every model (the model's name is stored with each message).
-- A deleted account, like the import's, so it never shows on a leaderboard and nobody can sign in as it.
INSERT INTO users (id, display_name, deleted, show_on_leaderboard)
VALUES ('00000000-0000-4000-8000-00000000a002', 'Model-written reply', true, false)
ON CONFLICT (id) DO NOTHING;

-- The hourly budget counts recent model replies; this keeps that count off the rest of the table.
CREATE INDEX messages_synthetic_created ON messages (created_at) WHERE synthetic;
