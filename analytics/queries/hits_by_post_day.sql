-- Hits per border post and day (UTC) in [since, until): each hit counted once, on the day it
-- was first raised, however often its alert was delivered; subjects counts distinct subjects
-- with at least one hit; screened counts distinct subjects screened at that post that day,
-- the denominator of the hit rate.
--
-- Parameters: since, until, toDateTime(unix seconds), the half-open window [since, until) in
-- UTC. ClickHouse 18.16 does not carry an outer WITH into subqueries, so each subquery
-- declares the parameters itself. They default to all time, so the file runs as is:
--   clickhouse-client --port 19000 --database watchpost --multiquery < hits_by_post_day.sql
SELECT border_post, day, hits, subjects, screened
FROM
(
    SELECT border_post, day, count() AS hits, uniqExact(subject_id) AS subjects
    FROM
    (
        WITH toDateTime(0) AS since, toDateTime(4102444800) AS until
        SELECT hit_id, any(border_post) AS border_post, any(subject_id) AS subject_id, min(raised_date) AS day
        FROM hits
        WHERE raised_at >= since AND raised_at < until
        GROUP BY hit_id
    )
    GROUP BY border_post, day
)
ANY LEFT JOIN
(
    SELECT border_post, day, count() AS screened
    FROM
    (
        WITH toDateTime(0) AS since, toDateTime(4102444800) AS until
        SELECT subject_id, any(border_post) AS border_post, min(screened_date) AS day
        FROM screenings
        WHERE screened_at >= since AND screened_at < until
        GROUP BY subject_id
    )
    GROUP BY border_post, day
) USING (border_post, day)
ORDER BY day, border_post;
