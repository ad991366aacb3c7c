-- Border posts: the code screenings and hits carry in border_post (an IATA code for an
-- airport, a UN/LOCODE for a sea port or land crossing), the country, the kind and the post's
-- name. Reference data, keyed by code; the latest updated_at wins.
CREATE TABLE IF NOT EXISTS border_posts
(
    code       String,
    country    String,
    kind       Enum8('airport' = 1, 'seaport' = 2, 'land' = 3),
    name       String,
    updated_at DateTime
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY code
SETTINGS index_granularity = 8192;
