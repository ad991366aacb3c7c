-- How many hits did each database produce in a window at some border posts and countries, and
-- on how many distinct subjects? Each hit counts once however often its alert was delivered
-- (uniqExact of the deterministic hit_id).
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
--   clickhouse-client --port 19000 --database watchpost --multiquery < scope_hits_by_database.sql
WITH toDateTime(0) AS since, toDateTime(4102444800) AS until,
     emptyArrayString() AS posts, emptyArrayString() AS countries
SELECT database, uniqExact(hit_id) AS hits, uniqExact(subject_id) AS subjects
FROM hits
WHERE raised_date >= toDate(greatest(since, toDateTime(86400)) - 86400, 'UTC')
  AND raised_date <= toDate(until, 'UTC') + 8
  AND if(toUInt32(event_time) > 0, event_time, raised_at) >= since AND if(toUInt32(event_time) > 0, event_time, raised_at) < until
  AND (empty(posts) OR has(posts, border_post)) AND (empty(countries) OR has(countries, country))
GROUP BY database
ORDER BY database;
