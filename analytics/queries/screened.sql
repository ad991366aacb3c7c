-- Subjects screened in [since, until): each subject counted once however often its
-- screening was delivered.
--
-- Parameters: the WITH line declares them with defaults (all time), so the file runs as is:
--   clickhouse-client --port 19000 --database watchpost --multiquery < screened.sql
-- The Go code replaces each "toDateTime(N) AS name" with the bound value.
WITH toDateTime(0) AS since, toDateTime(4102444800) AS until
SELECT uniqExact(subject_id) AS screened
FROM screenings
WHERE screened_at >= since AND screened_at < until;
