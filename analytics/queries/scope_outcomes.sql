-- How many of the hits raised in a window at some border posts and countries were confirmed,
-- and how many dismissed, per database? Each hit counts once; its decision is the latest one
-- recorded (argMax on the decision's millisecond version), whenever it was taken. Hits without
-- a decision are hits - confirmed - dismissed. The confirmation rate is
-- confirmed / (confirmed + dismissed).
--
-- Time is the event's: when the traveller, vehicle or vessel presented (the manifest's
-- receipt, the crossing), which every copy of a row carries unchanged even when a redelivered
-- message was screened again later. Windows and days therefore never depend on which copy
-- ClickHouse keeps when it merges. (A row without an event time falls back to its screening
-- or raise time.) The date bounds let ClickHouse skip partitions: a row is looked for up to
-- 8 days after its event, as the input topics keep a message 7 days (deploy/topics.yaml),
-- so nothing can be screened later than that.
--
-- Parameters (declared on each WITH line, with defaults that select everything, so the file
-- runs as is; the Go code rewrites every declaration with the bound value):
--   since, until  toDateTime(unix seconds): the half-open window [since, until), UTC, on the
--                 event time
--   posts         border post codes, e.g. ['CDG', 'ORY']; emptyArrayString() means every post
--   countries     ISO 3166 alpha-3 of the screening country, e.g. ['FRA']; emptyArrayString()
--                 means every country
-- Run:
--   clickhouse-client --port 19000 --database watchpost --multiquery < scope_outcomes.sql
SELECT database, count() AS hits, countIf(decision = 'confirmed') AS confirmed, countIf(decision = 'dismissed') AS dismissed
FROM
(
    WITH toDateTime(0) AS since, toDateTime(4102444800) AS until,
         emptyArrayString() AS posts, emptyArrayString() AS countries
    SELECT hit_id, any(database) AS database
    FROM hits
    WHERE raised_date >= toDate(greatest(since, toDateTime(86400)) - 86400, 'UTC')
      AND raised_date <= toDate(until, 'UTC') + 8
      AND if(toUInt32(event_time) > 0, event_time, raised_at) >= since AND if(toUInt32(event_time) > 0, event_time, raised_at) < until
      AND (empty(posts) OR has(posts, border_post)) AND (empty(countries) OR has(countries, country))
    GROUP BY hit_id
)
ANY LEFT JOIN
(
    SELECT hit_id, toString(argMax(decision, version)) AS decision
    FROM outcomes
    GROUP BY hit_id
) USING (hit_id)
GROUP BY database
ORDER BY database;
