-- One row per hit (alert): which record of which database a subject matched, how strongly,
-- and why, as field/match/weight triples.
--
-- hit_id is deterministic (subject, database, record), so a redelivered alert has the same
-- sorting key and ReplacingMergeTree collapses it on merge; queries count uniqExact(hit_id)
-- (or GROUP BY hit_id) because merges are eventual.
--
-- No personal data: the subject as presented and the reasons' free-text details are never
-- stored, only ids, codes, scores and the reason_* parallel arrays.
CREATE TABLE IF NOT EXISTS hits
(
    hit_id           String,
    subject_id       String,
    event_id         String,
    kind             String,
    database         String,
    record_id        String,
    score            Float64,
    severity         String,
    action           String,
    owner            String,
    snapshot_version UInt64,
    reason_field     Array(String),
    reason_match     Array(String),
    reason_weight    Array(Float64),
    source           String,
    carrier          String,
    flight           String,
    border_post      String,
    country          String,
    event_time       DateTime,
    raised_at        DateTime,
    raised_date      Date
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(raised_date)
ORDER BY (country, border_post, database, hit_id)
SETTINGS index_granularity = 8192;
