-- People who contribute, chat and moderate. Email is the sign-in identity; the display name is public.
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE users (
    id               uuid PRIMARY KEY,
    email            citext UNIQUE,
    display_name     text,
    role             text NOT NULL DEFAULT 'general' CHECK (role IN ('general', 'moderator', 'admin')),
    banned           boolean NOT NULL DEFAULT false,
    banned_reason    text,
    terms_accepted_at timestamptz,
    show_on_leaderboard boolean NOT NULL DEFAULT true,
    deleted          boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz
);

-- Display names are unique regardless of case; deleted accounts all share "Deleted user".
CREATE UNIQUE INDEX users_display_name_unique ON users (lower(display_name)) WHERE NOT deleted AND display_name IS NOT NULL;
