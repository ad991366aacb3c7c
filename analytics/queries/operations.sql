-- Which operations (campaigns) exist: id, name, kind (stop or major_event), the window
-- [starts_at, ends_at) in UTC, and the border posts and countries they cover (an empty list
-- means every post, or every country). When an id was written more than once, its latest row
-- (by created_at) wins, whether or not ClickHouse has merged the copies yet; written_at is
-- when that row was written.
--
-- Parameters: none.
-- Run:
--   clickhouse-client --port 19000 --database watchpost --multiquery < operations.sql
SELECT
    id,
    argMax(name, created_at) AS name,
    toString(argMax(kind, created_at)) AS kind,
    argMax(starts_at, created_at) AS starts_at,
    argMax(ends_at, created_at) AS ends_at,
    argMax(border_posts, created_at) AS border_posts,
    argMax(countries, created_at) AS countries,
    max(created_at) AS written_at
FROM operations
GROUP BY id
ORDER BY starts_at, id;
