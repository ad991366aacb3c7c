-- Hourly and daily aggregates of screenings (per country, border post and subject kind) and
-- hits (per country, border post and database), and each hit's first alert latency, kept up to
-- date by materialized views.
--
-- Why uniqState and minState, and never count() or sum(): a materialized view sees every
-- inserted block, before ReplacingMergeTree collapses anything, so a redelivered batch
-- reaches it twice, and a count would stay doubled forever (the aggregate table never learns
-- the rows were duplicates). uniqState(subject_id) / uniqState(hit_id) keep a set of id
-- hashes instead: adding an id that is already there leaves the state unchanged, whichever
-- block, part or merge it comes from, so uniqMerge returns the same number however often a
-- batch was delivered. The same property makes a union over hours or days correct: uniqMerge
-- over several hours counts a subject once. minState keeps the smallest value seen, which a
-- second copy cannot change either.
--
-- Hours and days are those of the event (the manifest's receipt, the crossing: event_time,
-- in UTC), which every copy of a row carries unchanged, even a copy screened again after a
-- redelivery; a row without an event time falls back to its screening or raise time. So
-- every copy lands in the same hour and day.
--
-- uniq is approximate, never inflated by duplicates: it keeps 32-bit hashes (two distinct ids
-- collide with probability 2^-32 per pair: about 0.4 lost ids expected among 60,000) and
-- samples them above 65,536 distinct ids per state (within about 1%). These tables serve
-- trends and dashboards; operation reports read the base tables with uniqExact.
--
-- hits_latency keeps, per hit, the smallest raised_at - event_time in milliseconds over its
-- deliveries: the latency of its first alert. (ReplacingMergeTree would keep an arbitrary
-- copy of a hit raised twice; minState keeps the first.) Hits without an event time are left
-- out.
--
-- The backfill statements at the end copy what the base tables held before the views
-- existed. They are safe to repeat, and rows inserted while they run are counted once, for
-- the same reasons. Partitions are months, dropped by the retention policy like the base
-- tables'.
CREATE TABLE IF NOT EXISTS screenings_hourly
(
    hour        DateTime('UTC'),
    country     String,
    border_post String,
    kind        String,
    screened    AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (country, border_post, kind, hour)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS screenings_daily
(
    day         Date,
    country     String,
    border_post String,
    kind        String,
    screened    AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (country, border_post, kind, day)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS hits_hourly
(
    hour        DateTime('UTC'),
    country     String,
    border_post String,
    database    String,
    hits        AggregateFunction(uniq, String),
    subjects    AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(hour)
ORDER BY (country, border_post, database, hour)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS hits_daily
(
    day         Date,
    country     String,
    border_post String,
    database    String,
    hits        AggregateFunction(uniq, String),
    subjects    AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (country, border_post, database, day)
SETTINGS index_granularity = 8192;

CREATE TABLE IF NOT EXISTS hits_latency
(
    event_time  DateTime,
    country     String,
    border_post String,
    database    String,
    hit_id      String,
    first_latency_ms AggregateFunction(min, Int64)
)
ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(event_time)
ORDER BY (country, border_post, database, hit_id, event_time)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW IF NOT EXISTS screenings_hourly_mv TO screenings_hourly AS
SELECT toStartOfHour(if(toUInt32(event_time) > 0, event_time, screened_at), 'UTC') AS hour, country, border_post, kind, uniqState(subject_id) AS screened
FROM screenings
GROUP BY hour, country, border_post, kind;

CREATE MATERIALIZED VIEW IF NOT EXISTS screenings_daily_mv TO screenings_daily AS
SELECT toDate(if(toUInt32(event_time) > 0, event_time, screened_at), 'UTC') AS day, country, border_post, kind, uniqState(subject_id) AS screened
FROM screenings
GROUP BY day, country, border_post, kind;

CREATE MATERIALIZED VIEW IF NOT EXISTS hits_hourly_mv TO hits_hourly AS
SELECT toStartOfHour(if(toUInt32(event_time) > 0, event_time, raised_at), 'UTC') AS hour, country, border_post, database, uniqState(hit_id) AS hits, uniqState(subject_id) AS subjects
FROM hits
GROUP BY hour, country, border_post, database;

CREATE MATERIALIZED VIEW IF NOT EXISTS hits_daily_mv TO hits_daily AS
SELECT toDate(if(toUInt32(event_time) > 0, event_time, raised_at), 'UTC') AS day, country, border_post, database, uniqState(hit_id) AS hits, uniqState(subject_id) AS subjects
FROM hits
GROUP BY day, country, border_post, database;

CREATE MATERIALIZED VIEW IF NOT EXISTS hits_latency_mv TO hits_latency AS
SELECT event_time, country, border_post, database, hit_id, minState(if(latency_ms >= 0, latency_ms, greatest(toInt64(0), toInt64(raised_at) - toInt64(event_time)) * 1000)) AS first_latency_ms
FROM hits
WHERE latency_ms >= 0 OR toUInt32(event_time) > 0
GROUP BY event_time, country, border_post, database, hit_id;

INSERT INTO screenings_hourly (hour, country, border_post, kind, screened)
SELECT toStartOfHour(if(toUInt32(event_time) > 0, event_time, screened_at), 'UTC') AS hour, country, border_post, kind, uniqState(subject_id) AS screened
FROM screenings
GROUP BY hour, country, border_post, kind;

INSERT INTO screenings_daily (day, country, border_post, kind, screened)
SELECT toDate(if(toUInt32(event_time) > 0, event_time, screened_at), 'UTC') AS day, country, border_post, kind, uniqState(subject_id) AS screened
FROM screenings
GROUP BY day, country, border_post, kind;

INSERT INTO hits_hourly (hour, country, border_post, database, hits, subjects)
SELECT toStartOfHour(if(toUInt32(event_time) > 0, event_time, raised_at), 'UTC') AS hour, country, border_post, database, uniqState(hit_id) AS hits, uniqState(subject_id) AS subjects
FROM hits
GROUP BY hour, country, border_post, database;

INSERT INTO hits_daily (day, country, border_post, database, hits, subjects)
SELECT toDate(if(toUInt32(event_time) > 0, event_time, raised_at), 'UTC') AS day, country, border_post, database, uniqState(hit_id) AS hits, uniqState(subject_id) AS subjects
FROM hits
GROUP BY day, country, border_post, database;

INSERT INTO hits_latency (event_time, country, border_post, database, hit_id, first_latency_ms)
SELECT event_time, country, border_post, database, hit_id, minState(if(latency_ms >= 0, latency_ms, greatest(toInt64(0), toInt64(raised_at) - toInt64(event_time)) * 1000)) AS first_latency_ms
FROM hits
WHERE latency_ms >= 0 OR toUInt32(event_time) > 0
GROUP BY event_time, country, border_post, database, hit_id;
