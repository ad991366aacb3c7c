-- How fast did alerts follow the events that caused them, for the hits whose event falls in a
-- window at some border posts and countries? Latency is raised_at - event_time of each hit, in
-- milliseconds (latency_ms, measured by the sink before the times were truncated to seconds;
-- whole seconds for rows written before that column existed), from its first raise: the
-- hits_latency table keeps minState per hit_id, so a hit raised again later (a redelivered
-- message screened again) keeps its first latency however ClickHouse merges. Hits without
-- an event time are left out. With no hit, the quantiles are 0 or nan.
--
-- Parameters (declared on each WITH line, with defaults that select everything, so the file
-- runs as is; the Go code rewrites every declaration with the bound value):
--   since, until  toDateTime(unix seconds): the half-open window [since, until), UTC, on the
--                 event time
--   posts         border post codes, e.g. ['CDG', 'ORY']; emptyArrayString() means every post
--   countries     ISO 3166 alpha-3 of the screening country, e.g. ['FRA']; emptyArrayString()
--                 means every country
-- Run:
--   clickhouse-client --port 19000 --database watchpost --multiquery < scope_latency.sql
SELECT
    count() AS hits,
    quantilesExact(0.5, 0.9, 0.99)(toFloat64(latency)) AS p50_p90_p99_ms,
    max(latency) AS max_ms
FROM
(
    WITH toDateTime(0) AS since, toDateTime(4102444800) AS until,
         emptyArrayString() AS posts, emptyArrayString() AS countries
    SELECT hit_id, minMerge(first_latency_ms) AS latency
    FROM hits_latency
    WHERE event_time >= since AND event_time < until
      AND (empty(posts) OR has(posts, border_post)) AND (empty(countries) OR has(countries, country))
    GROUP BY hit_id
);
