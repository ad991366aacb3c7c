-- Who did what, when, to which object: every alert shown to a control room, every hit
-- confirmed or dismissed, every partner check. Ids and codes only: actor_id is an officer,
-- partner or service id, object_id a hit id or a partner check id, result a code (hit,
-- no_hit, or a decision's reason code). Never a name, a document number or a birth date.
--
-- audit_id is deterministic (actor, action, object, time), so a redelivered entry has the
-- same sorting key and collapses on merge; queries count uniqExact(audit_id).
CREATE TABLE IF NOT EXISTS audit
(
    audit_id   String,
    actor_id   String,
    actor_kind String,
    action     String,
    object_id  String,
    result     String,
    country    String,
    at         DateTime,
    at_date    Date
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(at_date)
ORDER BY (action, object_id, audit_id)
SETTINGS index_granularity = 8192;
