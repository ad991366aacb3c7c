-- One row per decision a control room takes on a hit: confirmed or dismissed, with a reason
-- code, the deciding officer's id (an id, never a name), the deciding country and the time.
--
-- The latest decision on a hit wins: ReplacingMergeTree keeps, per hit_id, the row with the
-- highest version (the decision time in unix milliseconds) when it merges. Merges are
-- eventual and never cross partitions (a hit decided again in a later month has a row in each
-- month), so queries take argMax(decision, version) GROUP BY hit_id instead of trusting
-- merges. A redelivered decision is the same row again and collapses.
CREATE TABLE IF NOT EXISTS outcomes
(
    hit_id       String,
    decision     Enum8('confirmed' = 1, 'dismissed' = 2),
    reason_code  String,
    officer_id   String,
    country      String,
    decided_at   DateTime,
    decided_date Date,
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(decided_date)
ORDER BY hit_id
SETTINGS index_granularity = 8192;
