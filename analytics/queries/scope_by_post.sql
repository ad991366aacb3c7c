-- Per border post, in a window at some border posts and countries: subjects screened, hits,
-- and distinct subjects hit (subjects / screened is the post's hit rate). Every count is
-- de-duplicated by its id. A post appears when it screened anyone or raised any hit.
--
-- Time is the event's: when the traveller, vehicle or vessel presented (the manifest's
-- receipt, the crossing), which every copy of a row carries unchanged even when a redelivered
-- message was screened again later. Windows and days therefore never depend on which copy
-- ClickHouse keeps when it merges. (A row without an event time falls back to its screening
-- or raise time.) The date bounds let ClickHouse skip partitions: a row is looked for up to
-- 8 days after its event, as the input topics keep a message 7 days (deploy/topics.yaml),
-- so nothing can be screened later than that.
-- ClickHouse 18.16 does not carry an outer WITH into subqueries, so each SELECT of the
-- UNION ALL declares the parameters itself.
--
-- Subjects are counted with uniqExact(cityHash64(subject_id)) per border post and day, then
-- added up: every copy of a subject has the same post and event day, so the sum is exact
-- (unless two ids of one post and day share a 64-bit hash, a chance in billions), and small
-- sets count several times faster, in less memory, than one set of every id.
--
-- Parameters (declared on each WITH line, with defaults that select everything, so the file
-- runs as is; the Go code rewrites every declaration with the bound value):
--   since, until  toDateTime(unix seconds): the half-open window [since, until), UTC, on the
--                 event time
--   posts         border post codes, e.g. ['CDG', 'ORY']; emptyArrayString() means every post
--   countries     ISO 3166 alpha-3 of the screening country, e.g. ['FRA']; emptyArrayString()
--                 means every country
-- Run:
--   clickhouse-client --port 19000 --database watchpost --multiquery < scope_by_post.sql
SELECT border_post, sum(screened) AS screened, sum(hits) AS hits, sum(subjects) AS subjects
FROM
(
    SELECT border_post, sum(n) AS screened, toUInt64(0) AS hits, toUInt64(0) AS subjects
    FROM
    (
        WITH toDateTime(0) AS since, toDateTime(4102444800) AS until,
             emptyArrayString() AS posts, emptyArrayString() AS countries
        SELECT border_post, toDate(if(toUInt32(event_time) > 0, event_time, screened_at), 'UTC') AS day, uniqExact(cityHash64(subject_id)) AS n
        FROM screenings
        WHERE screened_date >= toDate(greatest(since, toDateTime(86400)) - 86400, 'UTC')
          AND screened_date <= toDate(until, 'UTC') + 8
          AND if(toUInt32(event_time) > 0, event_time, screened_at) >= since AND if(toUInt32(event_time) > 0, event_time, screened_at) < until
          AND (empty(posts) OR has(posts, border_post)) AND (empty(countries) OR has(countries, country))
        GROUP BY border_post, day
    )
    GROUP BY border_post
    UNION ALL
    WITH toDateTime(0) AS since, toDateTime(4102444800) AS until,
         emptyArrayString() AS posts, emptyArrayString() AS countries
    SELECT border_post, toUInt64(0) AS screened, uniqExact(hit_id) AS hits, uniqExact(subject_id) AS subjects
    FROM hits
    WHERE raised_date >= toDate(greatest(since, toDateTime(86400)) - 86400, 'UTC')
      AND raised_date <= toDate(until, 'UTC') + 8
      AND if(toUInt32(event_time) > 0, event_time, raised_at) >= since AND if(toUInt32(event_time) > 0, event_time, raised_at) < until
      AND (empty(posts) OR has(posts, border_post)) AND (empty(countries) OR has(countries, country))
    GROUP BY border_post
)
GROUP BY border_post
ORDER BY border_post;
