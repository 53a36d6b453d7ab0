-- The prompt lottery weighs each waiting prompt by how often its author was ranked first in the last 30 days.
-- Counting that over all of an author's messages took a heap visit per message (tens of milliseconds per
-- draw with a few hundred waiting prompts); first-ranked messages are few, and this index holds only them.
CREATE INDEX messages_first_ranked ON messages (author_id, created_at) WHERE rank = 0;
