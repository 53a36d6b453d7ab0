-- Scores, streaks, moderation history and the audit log.

-- The counters of ContributionCounts, per user per UTC hour. Rolling time frames are rebuilt from these
-- (at most 31 days of them), so no page view and no periodic job ever reads the whole journal.
CREATE TABLE user_stat_hours (
    user_id                     uuid NOT NULL REFERENCES users (id),
    hour                        timestamptz NOT NULL,
    prompts                     integer NOT NULL DEFAULT 0,
    accepted_prompts            integer NOT NULL DEFAULT 0,
    replies_assistant           integer NOT NULL DEFAULT 0,
    accepted_replies_assistant  integer NOT NULL DEFAULT 0,
    replies_prompter            integer NOT NULL DEFAULT 0,
    accepted_replies_prompter   integer NOT NULL DEFAULT 0,
    labels_simple               integer NOT NULL DEFAULT 0,
    labels_full                 integer NOT NULL DEFAULT 0,
    rankings_total              integer NOT NULL DEFAULT 0,
    rankings_good               integer NOT NULL DEFAULT 0,
    reply_ranked_1              integer NOT NULL DEFAULT 0,
    reply_ranked_2              integer NOT NULL DEFAULT 0,
    reply_ranked_3              integer NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, hour)
);
CREATE INDEX user_stat_hours_hour ON user_stat_hours (hour);

-- The same counters per time frame with the leader score computed from them. Every scored action updates
-- its user's four rows in its own transaction; a periodic job rebuilds day, week and month from the hours.
CREATE TABLE user_stats (
    user_id                     uuid NOT NULL REFERENCES users (id),
    time_frame                  text NOT NULL CHECK (time_frame IN ('day', 'week', 'month', 'total')),
    prompts                     integer NOT NULL DEFAULT 0,
    accepted_prompts            integer NOT NULL DEFAULT 0,
    replies_assistant           integer NOT NULL DEFAULT 0,
    accepted_replies_assistant  integer NOT NULL DEFAULT 0,
    replies_prompter            integer NOT NULL DEFAULT 0,
    accepted_replies_prompter   integer NOT NULL DEFAULT 0,
    labels_simple               integer NOT NULL DEFAULT 0,
    labels_full                 integer NOT NULL DEFAULT 0,
    rankings_total              integer NOT NULL DEFAULT 0,
    rankings_good               integer NOT NULL DEFAULT 0,
    reply_ranked_1              integer NOT NULL DEFAULT 0,
    reply_ranked_2              integer NOT NULL DEFAULT 0,
    reply_ranked_3              integer NOT NULL DEFAULT 0,
    leader_score                integer NOT NULL DEFAULT 0,
    -- Copied from the user (shown on the leaderboard, not banned, not deleted) so a page is one index range.
    listed                      boolean NOT NULL DEFAULT true,
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, time_frame)
);
CREATE INDEX user_stats_board ON user_stats (time_frame, leader_score DESC, user_id) WHERE listed;

ALTER TABLE users
    ADD COLUMN notes text NOT NULL DEFAULT '',
    ADD COLUMN streak_started_at timestamptz,
    ADD COLUMN streak_last_activity_at timestamptz,
    ADD COLUMN streak_days integer NOT NULL DEFAULT 0;

-- Every text a message has had; the original is saved before the first edit.
CREATE TABLE message_revisions (
    id          uuid PRIMARY KEY,
    message_id  uuid NOT NULL REFERENCES messages (id),
    text        text NOT NULL,
    editor_id   uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_revisions_message ON message_revisions (message_id, created_at);

-- Who did what, when and why, for every moderation and admin action.
CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    actor_id        uuid NOT NULL REFERENCES users (id),
    action          text NOT NULL,
    target_user_id  uuid REFERENCES users (id),
    message_id      uuid,
    tree_id         uuid,
    reason          text NOT NULL DEFAULT '',
    details         text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_time ON audit_log (created_at DESC);
CREATE INDEX audit_log_target ON audit_log (target_user_id, created_at DESC);

-- The moderators' message search filters by language and orders by time.
CREATE INDEX messages_lang_time ON messages (lang, created_at DESC);

-- Consensus bonuses are granted once per tree; this finds earlier grants without reading the journal.
CREATE INDEX journal_bonus_tree ON journal (tree_id) WHERE action IN ('ranking_agreed', 'reply_ranked');
