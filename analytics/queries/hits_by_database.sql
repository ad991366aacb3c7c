-- Hits raised in [since, until) per database: each hit counted once however often its alert
-- was delivered (hit_id is deterministic).
--
-- Parameters: the WITH line declares them with defaults (all time), so the file runs as is:
--   clickhouse-client --port 19000 --database watchpost --multiquery < hits_by_database.sql
WITH toDateTime(0) AS since, toDateTime(4102444800) AS until
SELECT database, uniqExact(hit_id) AS hits
FROM hits
WHERE raised_at >= since AND raised_at < until
GROUP BY database
ORDER BY database;
