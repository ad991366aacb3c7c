-- One row per screened subject: the denominator of every hit rate.
--
-- A redelivered screening has the same subject_id and the same event fields, so it has the
-- same sorting key and ReplacingMergeTree collapses it on merge. Merges are eventual and
-- never cross partitions, so queries still count uniqExact(subject_id) (or GROUP BY
-- subject_id) instead of count().
--
-- No personal data: ids, codes, times and counts only. Retention drops whole partitions
-- (ALTER TABLE screenings DROP PARTITION 202401).
CREATE TABLE IF NOT EXISTS screenings
(
    subject_id       String,
    event_id         String,
    kind             String,
    role             String,
    nationality      String,
    source           String,
    carrier          String,
    flight           String,
    departure        String,
    arrival          String,
    border_post      String,
    country          String,
    event_time       DateTime,
    screened_at      DateTime,
    screened_date    Date,
    snapshot_version UInt64,
    hits             UInt16,
    databases        Array(String),
    duration_micros  UInt64
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(screened_date)
ORDER BY (country, border_post, subject_id)
SETTINGS index_granularity = 8192;
