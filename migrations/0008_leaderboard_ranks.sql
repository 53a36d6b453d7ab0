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

-- When each board was last ranked, shown on the page so a reader knows how fresh it is.
CREATE TABLE leaderboard_refreshes (
    time_frame    text PRIMARY KEY,
    refreshed_at  timestamptz NOT NULL
);
