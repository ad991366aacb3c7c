-- Alert latency at millisecond precision: the hit's raised_at minus its event_time, as the sink
-- measured them before DateTime truncated both to seconds. -1 means unknown: the event time was
-- missing, or the row was written before this column existed (old parts read the default).
-- Queries fall back to (raised_at - event_time) in whole seconds for such rows when both times
-- are known.
--
-- ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: the migrator treats "column already
-- exists" on an ADD COLUMN statement as applied, so a retried migration stays harmless.
ALTER TABLE hits ADD COLUMN latency_ms Int64 DEFAULT -1;
