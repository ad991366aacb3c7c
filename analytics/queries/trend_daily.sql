-- Per day (UTC) of the event, from the pre-aggregated daily tables (fast at any size): subjects
-- screened, hits, and distinct subjects hit, at some border posts and countries. Read with
-- uniqMerge, so a redelivered batch never changes a number (see
-- analytics/ddl/0008_aggregates.sql), but uniq is approximate (within about 1% above 65,536
-- distinct ids per day): use the scope_*.sql files for exact counts. The window is
-- whole days: a day counts when it starts inside [since, until).
--
-- Parameters (declared on each WITH line, with defaults that select everything, so the file
-- runs as is; the Go code rewrites every declaration with the bound value):
--   since, until  toDateTime(unix seconds): the half-open window [since, until), UTC, on the
--                 event time
--   posts         border post codes, e.g. ['CDG', 'ORY']; emptyArrayString() means every post
--   countries     ISO 3166 alpha-3 of the screening country, e.g. ['FRA']; emptyArrayString()
--                 means every country
-- Run:
--   clickhouse-client --port 19000 --database watchpost --multiquery < trend_daily.sql
SELECT day, sum(screened) AS screened, sum(hits) AS hits, sum(subjects) AS subjects
FROM
(
    WITH toDateTime(0) AS since, toDateTime(4102444800) AS until,
         emptyArrayString() AS posts, emptyArrayString() AS countries
    SELECT day, uniqMerge(screened) AS screened, toUInt64(0) AS hits, toUInt64(0) AS subjects
    FROM screenings_daily
    WHERE day >= toDate(since, 'UTC') AND day < toDate(until, 'UTC')
      AND (empty(posts) OR has(posts, border_post)) AND (empty(countries) OR has(countries, country))
    GROUP BY day
    UNION ALL
    WITH toDateTime(0) AS since, toDateTime(4102444800) AS until,
         emptyArrayString() AS posts, emptyArrayString() AS countries
    SELECT day, toUInt64(0) AS screened, uniqMerge(hits) AS hits, uniqMerge(subjects) AS subjects
    FROM hits_daily
    WHERE day >= toDate(since, 'UTC') AND day < toDate(until, 'UTC')
      AND (empty(posts) OR has(posts, border_post)) AND (empty(countries) OR has(countries, country))
    GROUP BY day
)
GROUP BY day
ORDER BY day;
