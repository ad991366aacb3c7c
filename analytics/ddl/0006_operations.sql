-- Operations (campaigns): STOP operations and major-event deployments, each a time window
-- [starts_at, ends_at) over a set of border posts and countries. An empty list means every
-- post (or country). Reference data: no personal data; name is the operation's title.
--
-- Keyed by id; a re-created operation with the same id replaces the older row on merge and
-- queries take the row with the latest created_at.
CREATE TABLE IF NOT EXISTS operations
(
    id           String,
    name         String,
    kind         Enum8('stop' = 1, 'major_event' = 2),
    starts_at    DateTime,
    ends_at      DateTime,
    border_posts Array(String),
    countries    Array(String),
    created_at   DateTime
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY id
SETTINGS index_granularity = 8192;
