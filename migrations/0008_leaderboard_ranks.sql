-- The leaderboard as the periodic job last ranked it. A page is a range of ranks and a reader's rank is one
-- row, so no request counts the board; scores themselves stay current in user_stats.
CREATE TABLE leaderboard_ranks (
    time_frame  text NOT NULL CHECK (time_frame IN ('day', 'week', 'month', 'total')),
    user_id     uuid NOT NULL REFERENCES users (id),
    rank        integer NOT NULL,
    score       integer NOT NULL,
    PRIMARY KEY (time_frame, user_id)
);
CREATE INDEX leaderboard_ranks_order ON leaderboard_ranks (time_frame, rank);

-- One row: when the boards were last ranked, and a version that moves with everything a board page shows
-- (a ranking, someone leaving or joining, a new display name), so rendered pages can be reused until it moves.
CREATE TABLE leaderboard_state (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version    bigint NOT NULL DEFAULT 0,
    ranked_at  timestamptz
);
INSERT INTO leaderboard_state DEFAULT VALUES;
