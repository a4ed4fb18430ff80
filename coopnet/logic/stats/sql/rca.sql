-- Revealed comparative advantage (Balassa index) of state c in product p, year t:
--   RCA(c,p,t) = ( X(c,p,t) / X(c,t) ) / ( X(W,p,t) / X(W,t) )
-- X = exports to the world. W, the reference group ($group): 'world' = the world's exports as stored
-- (reporter WLD: X(WLD,p,t) and their sum over products), 'reporters' = every state in the store summed;
-- NULL/'auto' = the world in the years the store has world exports, else the reporters. Each row says
-- which (reference_group). With the world as reference, a product without a world value has no RCA.
-- RCA > 1: c exports relatively more of p than the reference group does.
-- Trade rows are indicator 'trade', scheme hs, annual, at HS level $level (digits), summed to $depth digits
-- ($depth NULL = as stored). Partner totals: when a reporter gives partner detail (countries), the world,
-- third countries (XT) and the Union (EAEU) are sums over that detail (members = AM BY KG KZ RU); otherwise
-- the aggregate rows WLD / XT / EAEU are used (and WLD = XT + EAEU, XT = WLD - EAEU when one is missing).
-- Parameters: $level, $depth, $from, $to, $reporter, $product (prefix) — filters applied after the totals;
-- $group.
-- Plan: classify each row's partner once (k), one hash aggregation with plain sums per kind of partner (t),
-- the partner rule applied to those totals (x), then the reference sums over that small pre-aggregated table.
WITH k AS (
    SELECT reporter, year, value,
           CASE WHEN $depth IS NULL THEN product ELSE left(product, $depth) END AS product,
           CASE WHEN partner IN ('WLD', '') THEN 1 WHEN partner = 'XT' THEN 2 WHEN partner = 'EAEU' THEN 3
                WHEN partner IS NOT NULL THEN 0 END AS kind
    FROM obs
    WHERE indicator = 'trade' AND scheme = 'hs' AND period_kind = 'year' AND length(product) = $level
      AND (length(reporter) = 2 AND reporter NOT IN ('XT') OR reporter = 'WLD')
      AND ($from IS NULL OR year >= $from) AND ($to IS NULL OR year <= $to)
      AND flow = 'export'
),
r AS (
    SELECT reporter, year, product,
           CASE WHEN kind = 0 THEN value END AS vd, CASE WHEN kind = 0 THEN 1 END AS nd,
           CASE WHEN kind = 1 THEN value END AS vw, CASE WHEN kind = 2 THEN value END AS vx,
           CASE WHEN kind = 3 THEN value END AS ve
    FROM k
),
t AS (
    SELECT reporter, product, year, count(nd) AS nd, sum(vd) AS vd, sum(vw) AS vw, sum(vx) AS vx, sum(ve) AS ve
    FROM r GROUP BY reporter, product, year
),
xa AS (
    SELECT reporter, product, year, CASE WHEN nd > 0 THEN vd ELSE coalesce(vw, vx + ve) END AS x
    FROM t WHERE (CASE WHEN nd > 0 THEN vd ELSE coalesce(vw, vx + ve) END) IS NOT NULL
),
x AS (SELECT * FROM xa WHERE reporter <> 'WLD'),
w AS (SELECT product, year, x FROM xa WHERE reporter = 'WLD'),
g AS (
    SELECT year, CASE WHEN $group = 'reporters' THEN 'reporters' WHEN $group = 'world' THEN 'world'
                      WHEN year IN (SELECT year FROM w) THEN 'world' ELSE 'reporters' END AS reference_group
    FROM (SELECT DISTINCT year FROM x)
),
xc AS (SELECT reporter, year, sum(x) AS x_c FROM x GROUP BY ALL),
xp AS (
    SELECT product, year, sum(x) AS x_wp FROM x JOIN g USING (year) WHERE reference_group = 'reporters' GROUP BY ALL
    UNION ALL
    SELECT product, year, x FROM w JOIN g USING (year) WHERE reference_group = 'world'
),
xw AS (
    SELECT year, sum(x) AS x_w FROM x JOIN g USING (year) WHERE reference_group = 'reporters' GROUP BY ALL
    UNION ALL
    SELECT year, sum(x) FROM w JOIN g USING (year) WHERE reference_group = 'world' GROUP BY ALL
)
SELECT x.reporter, x.product, x.year, x.x AS x_cp, xc.x_c, xp.x_wp, xw.x_w, g.reference_group,
       CASE WHEN xc.x_c > 0 AND xp.x_wp > 0 AND xw.x_w > 0 THEN (x.x / xc.x_c) / (xp.x_wp / xw.x_w) END AS value
FROM x JOIN xc USING (reporter, year) JOIN g USING (year) LEFT JOIN xp USING (product, year) LEFT JOIN xw USING (year)
WHERE ($reporter IS NULL OR x.reporter = $reporter)
  AND ($product IS NULL OR starts_with(x.product, $product))
ORDER BY x.reporter, x.product, x.year;
