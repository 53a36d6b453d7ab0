-- Chats with the assistant. Messages form a tree per chat (retry and edit add siblings); the pending
-- assistant messages are the inference work queue, and each reply's text also goes to an append-only
-- event log so any number of streams, in any server process, can follow and resume it.

CREATE TABLE chats (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title           text,
    hidden          boolean NOT NULL DEFAULT false,
    -- The "do not use my data" switch: false keeps the chat out of every export.
    allow_data_use  boolean NOT NULL DEFAULT true,
    system_prompt   text,
    preset          text NOT NULL DEFAULT 'k50',
    -- The leaf of the branch the user last looked at.
    active_leaf_id  uuid,
    -- Programs talking through the OpenAI-compatible API get a chat per call, kept out of the list.
    via_api         boolean NOT NULL DEFAULT false,
    share_token     text UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    modified_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chats_by_user ON chats (user_id, via_api, created_at DESC, id DESC);

CREATE TABLE chat_messages (
    id                 uuid PRIMARY KEY,
    chat_id            uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    parent_id          uuid REFERENCES chat_messages(id) ON DELETE CASCADE,
    role               text NOT NULL CHECK (role IN ('prompter', 'assistant')),
    content            text NOT NULL DEFAULT '',
    state              text NOT NULL CHECK (state IN ('manual', 'pending', 'in_progress', 'complete', 'cancelled', 'interrupted', 'failed', 'timeout')),
    error              text,
    finish_reason      text CHECK (finish_reason IN ('stop', 'length', 'cancelled')),
    -- Sampling parameters, preset name and system prompt: enough to reproduce the reply with the seed.
    parameters         jsonb,
    seed               numeric(20, 0),
    model              text,
    prompt_tokens      integer,
    completion_tokens  integer,
    queue_seconds      double precision,
    prompt_seconds     double precision,
    generation_seconds double precision,
    -- Thumbs of the chat's owner: -1, 0 or 1.
    score              smallint NOT NULL DEFAULT 0 CHECK (score BETWEEN -1 AND 1),
    -- Drafts generated side by side share a group; the user's pick becomes a comparison.
    draft_group        uuid,
    -- "continue" turns a finished reply back into work that appends to it.
    continuing         boolean NOT NULL DEFAULT false,
    cancel_requested   boolean NOT NULL DEFAULT false,
    -- The seq of this message's newest event; seqs are never reused, even when "continue" drops a done event.
    last_seq           integer NOT NULL DEFAULT 0,
    worker             text,
    heartbeat_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    queued_at          timestamptz,
    work_begin_at      timestamptz,
    work_end_at        timestamptz
);
CREATE INDEX chat_messages_by_chat ON chat_messages (chat_id, created_at);
CREATE INDEX chat_messages_queue ON chat_messages (queued_at, id) WHERE state = 'pending';
CREATE INDEX chat_messages_running ON chat_messages (worker) WHERE state = 'in_progress';

-- What a stream sends: `token` deltas, then one `done` or `error`. `seq` is the SSE event id.
CREATE TABLE chat_events (
    message_id  uuid NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('token', 'done', 'error')),
    data        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, seq)
);

-- Server processes that generate: a heartbeat tells the living from the dead.
CREATE TABLE chat_workers (
    name          text PRIMARY KEY,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chat_reports (
    id          uuid PRIMARY KEY,
    message_id  uuid NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A user's pick among drafts: the same kind of preference data ranking tasks collect.
CREATE TABLE chat_comparisons (
    id                  uuid PRIMARY KEY,
    chat_id             uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    user_id             uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    parent_id           uuid NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
    selected_id         uuid NOT NULL REFERENCES chat_messages(id) ON DELETE CASCADE,
    inferior_ids        uuid[] NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (parent_id, user_id, selected_id)
);

-- Keys for the OpenAI-compatible API; only a hash is kept, the key is shown once.
CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          text NOT NULL,
    key_hash      text NOT NULL UNIQUE,
    prefix        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at DESC);
