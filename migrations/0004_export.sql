-- Imported trees carry only label averages, not the individual votes behind them. An import keeps them as one
-- label row per message (kind 'import') whose `counts` say how many votes each average stands for, so an
-- export weighs them correctly and round-trips `{value, count}`.
ALTER TABLE labels DROP CONSTRAINT labels_kind_check;
ALTER TABLE labels ADD CONSTRAINT labels_kind_check CHECK (kind IN ('task', 'free', 'report', 'import'));
ALTER TABLE labels ADD COLUMN counts jsonb;

-- The author of those import rows: a deleted account, so it never shows on a page or a leaderboard.
INSERT INTO users (id, display_name, deleted) VALUES ('00000000-0000-4000-8000-00000000a001', 'Open Assistant import', true)
ON CONFLICT (id) DO NOTHING;
