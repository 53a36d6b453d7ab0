-- Magic-link sign-in, sessions shared by every server process, and rate-limit counters.

-- A sign-in link's token is stored only as its SHA-256; the link itself exists only in the mail.
CREATE TABLE signin_tokens (
    token_hash  text PRIMARY KEY,
    email       citext NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    request_ip  text
);
CREATE INDEX signin_tokens_expires ON signin_tokens (expires_at);

-- The cookie holds a random id; the table holds its SHA-256, so a leaked table opens no sessions.
CREATE TABLE sessions (
    id_hash      text PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    user_agent   text,
    ip           text
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One row per counted event; limits count the rows of a key inside a sliding window.
CREATE TABLE rate_limit_events (
    bucket  text NOT NULL,
    key     text NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_limit_events_lookup ON rate_limit_events (bucket, key, at);
