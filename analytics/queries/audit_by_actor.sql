-- Who did what in a window: per actor (officer, partner or service id, never a name) and
-- action (alert_shown, hit_confirmed, hit_dismissed, partner_check, …), the number of audit
-- entries and of distinct objects (hits or partner checks) acted on. Each entry counts once
-- however often it was delivered (uniqExact of the deterministic audit_id).
--
-- Parameters (declared on the WITH line, with defaults that select everything):
--   since, until  toDateTime(unix seconds): the half-open window [since, until), UTC
-- Run:
--   clickhouse-client --port 19000 --database watchpost --multiquery < audit_by_actor.sql
WITH toDateTime(0) AS since, toDateTime(4102444800) AS until
SELECT actor_kind, actor_id, action, uniqExact(audit_id) AS entries, uniqExact(object_id) AS objects
FROM audit
WHERE at_date >= toDate(since, 'UTC') AND at_date <= toDate(until, 'UTC') AND at >= since AND at < until
GROUP BY actor_kind, actor_id, action
ORDER BY actor_kind, actor_id, action;
