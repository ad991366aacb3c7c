-- Which monthly partitions does each table of the current database hold, with how many rows
-- and bytes on disk? This is what the retention policy acts on (watchpost retention apply
-- drops or rewrites whole partitions); active parts only.
--
-- Parameters: none (the database is the one clickhouse-client connects to).
-- Run:
--   clickhouse-client --port 19000 --database watchpost --multiquery < partitions.sql
SELECT table, partition, sum(rows) AS rows, sum(bytes_on_disk) AS bytes
FROM system.parts
WHERE database = currentDatabase() AND active
GROUP BY table, partition
ORDER BY table, partition;
