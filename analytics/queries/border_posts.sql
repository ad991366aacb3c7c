-- Which border posts are known: code (as screenings and hits carry it in border_post),
-- country, kind (airport, seaport, land) and name. The latest row per code wins.
--
-- Parameters: none.
-- Run:
--   clickhouse-client --port 19000 --database watchpost --multiquery < border_posts.sql
SELECT
    code,
    argMax(country, updated_at) AS country,
    toString(argMax(kind, updated_at)) AS kind,
    argMax(name, updated_at) AS name
FROM border_posts
GROUP BY code
ORDER BY code;
