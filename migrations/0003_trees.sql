-- Conversation trees grown by contributors one task at a time, and everything people say about them.

-- One row per tree; its id is the id of its root message (the initial prompt).
CREATE TABLE message_trees (
    id                    uuid PRIMARY KEY,
    state                 text NOT NULL,
    active                boolean NOT NULL DEFAULT true,
    lang                  text NOT NULL,
    goal_tree_size        integer NOT NULL,
    max_depth             integer NOT NULL,
    max_children_count    integer NOT NULL,
    origin                text,
    won_prompt_lottery_at timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_trees_state ON message_trees (state, lang) WHERE active;
CREATE INDEX message_trees_lang_state ON message_trees (lang, state);

CREATE TABLE messages (
    id              uuid PRIMARY KEY,
    tree_id         uuid NOT NULL REFERENCES message_trees (id),
    parent_id       uuid REFERENCES messages (id),
    role            text NOT NULL CHECK (role IN ('prompter', 'assistant')),
    text            text NOT NULL,
    lang            text NOT NULL DEFAULT 'en',
    depth           integer NOT NULL,
    children_count  integer NOT NULL DEFAULT 0,
    author_id       uuid REFERENCES users (id),
    review_count    integer NOT NULL DEFAULT 0,
    review_result   boolean,
    ranking_count   integer NOT NULL DEFAULT 0,
    rank            integer,
    deleted         boolean NOT NULL DEFAULT false,
    synthetic       boolean NOT NULL DEFAULT false,
    model_name      text,
    edited          boolean NOT NULL DEFAULT false,
    emojis          jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    search          tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED
);
CREATE INDEX messages_tree ON messages (tree_id);
CREATE INDEX messages_parent ON messages (parent_id);
CREATE INDEX messages_author ON messages (author_id, created_at);
CREATE INDEX messages_search ON messages USING gin (search);

-- A task handed to one user; the payload is what they were shown (replies in their shuffled order).
CREATE TABLE tasks (
    id                uuid PRIMARY KEY,
    kind              text NOT NULL,
    user_id           uuid NOT NULL REFERENCES users (id),
    tree_id           uuid REFERENCES message_trees (id),
    parent_message_id uuid REFERENCES messages (id),
    payload           jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL,
    done              boolean NOT NULL DEFAULT false,
    done_at           timestamptz,
    skipped           boolean NOT NULL DEFAULT false,
    skip_reason       text,
    result_message_id uuid
);
CREATE INDEX tasks_user_recent ON tasks (user_id, created_at);
CREATE INDEX tasks_open_parent ON tasks (parent_message_id, created_at) WHERE NOT done AND NOT skipped;

-- Labels a user gave a message. Only answered labels are keys of `values`: "not answered" is absent, never 0.
CREATE TABLE labels (
    id          uuid PRIMARY KEY,
    message_id  uuid NOT NULL REFERENCES messages (id),
    user_id     uuid NOT NULL REFERENCES users (id),
    task_id     uuid REFERENCES tasks (id),
    kind        text NOT NULL CHECK (kind IN ('task', 'free', 'report')),
    "values"    jsonb NOT NULL DEFAULT '{}'::jsonb,
    text        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX labels_message ON labels (message_id);
CREATE UNIQUE INDEX labels_one_task_review ON labels (message_id, user_id) WHERE kind = 'task';
CREATE INDEX labels_user ON labels (user_id);

-- One ranking of the replies under a parent by one user, best first.
CREATE TABLE rankings (
    id                 uuid PRIMARY KEY,
    parent_message_id  uuid NOT NULL REFERENCES messages (id),
    tree_id            uuid NOT NULL REFERENCES message_trees (id),
    user_id            uuid NOT NULL REFERENCES users (id),
    task_id            uuid REFERENCES tasks (id),
    ranked_message_ids uuid[] NOT NULL,
    not_rankable       boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (parent_message_id, user_id)
);
CREATE INDEX rankings_tree ON rankings (tree_id);
CREATE INDEX rankings_user ON rankings (user_id);

CREATE TABLE message_emojis (
    message_id  uuid NOT NULL REFERENCES messages (id),
    user_id     uuid NOT NULL REFERENCES users (id),
    emoji       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, user_id, emoji)
);
CREATE INDEX message_emojis_user ON message_emojis (user_id);

-- Reported messages waiting for a moderator.
CREATE TABLE flagged_messages (
    message_id    uuid PRIMARY KEY REFERENCES messages (id),
    reason        text,
    reported_by   uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    processed     boolean NOT NULL DEFAULT false,
    processed_by  uuid REFERENCES users (id),
    processed_at  timestamptz
);
CREATE INDEX flagged_messages_queue ON flagged_messages (created_at) WHERE NOT processed;

-- Every accepted action, append-only: scores and leaderboards are derived from it.
CREATE TABLE journal (
    id          bigserial PRIMARY KEY,
    user_id     uuid REFERENCES users (id),
    action      text NOT NULL,
    message_id  uuid,
    tree_id     uuid,
    task_id     uuid,
    payload     jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journal_user ON journal (user_id, created_at);
CREATE INDEX journal_time ON journal (created_at);
