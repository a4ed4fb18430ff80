-- Trade intensity index (Kojima / Brown) of exporter i towards partner j, year t:
--   TII(i,j,t) = ( x(i,j,t) / X(i,t) ) / ( x(W,j,t) / X(W,t) )
-- x(i,j) = i's exports to j, X(i) = i's exports to the world. W, the reference group ($group): 'world' =
-- the world's exports as stored (reporter WLD: x(WLD,j) to partner j and X(WLD) to the world),
-- 'reporters' = every state in the store summed; NULL/'auto' = the world in the years the store has world
-- exports, else the reporters; each row says which (reference_group). TII > 1: i trades with j more
-- intensely than the reference group does. With j = EAEU it is the intensity of i's trade with the Union (mutual-trade intensity).
-- Trade rows are indicator 'trade', scheme hs, annual, at HS level $level (digits), summed to $depth digits
-- ($depth NULL = as stored). Partner totals: when a reporter gives partner detail (countries), the world,
-- third countries (XT) and the Union (EAEU) are sums over that detail (members = AM BY KG KZ RU); otherwise
-- the aggregate rows WLD / XT / EAEU are used (and WLD = XT + EAEU, XT = WLD - EAEU when one is missing).
-- Parameters: $level, $depth, $from, $to, $reporter, $partner (a country or EAEU / XT), $product (prefix),
-- $group.
WITH r AS (
    SELECT reporter, partner, flow, year, value,
           CASE WHEN $depth IS NULL THEN product ELSE left(product, $depth) END AS product,
           partner NOT IN ('WLD', 'XT', 'EAEU', '') AS detail,
           split_part(partner, '-', 1) IN ('AM', 'BY', 'KG', 'KZ', 'RU') AS member
    FROM obs
    WHERE indicator = 'trade' AND scheme = 'hs' AND period_kind = 'year' AND length(product) = $level
      AND (length(reporter) = 2 AND reporter NOT IN ('XT') OR reporter = 'WLD')
      AND ($from IS NULL OR year >= $from) AND ($to IS NULL OR year <= $to)
      AND flow = 'export'
      AND ($product IS NULL OR starts_with(product, $product))
),
t AS (
    SELECT reporter, year,
        CASE WHEN count(*) FILTER (WHERE detail) > 0 THEN sum(value) FILTER (WHERE detail)
             ELSE coalesce(sum(value) FILTER (WHERE partner IN ('WLD', '')),
                           sum(value) FILTER (WHERE partner = 'XT') + sum(value) FILTER (WHERE partner = 'EAEU'))
        END AS wld,
        CASE WHEN count(*) FILTER (WHERE detail) > 0 THEN coalesce(sum(value) FILTER (WHERE detail AND NOT member), 0)
             ELSE coalesce(sum(value) FILTER (WHERE partner = 'XT'),
                           sum(value) FILTER (WHERE partner = 'WLD') - sum(value) FILTER (WHERE partner = 'EAEU'))
        END AS xt,
        CASE WHEN count(*) FILTER (WHERE detail) > 0 THEN coalesce(sum(value) FILTER (WHERE detail AND member), 0)
             ELSE coalesce(sum(value) FILTER (WHERE partner = 'EAEU'),
                           sum(value) FILTER (WHERE partner = 'WLD') - sum(value) FILTER (WHERE partner = 'XT'))
        END AS eaeu
    FROM r GROUP BY reporter, year
),
b AS (
    SELECT reporter, partner, year, sum(value) AS v FROM r
    WHERE detail GROUP BY ALL
    UNION ALL
    SELECT reporter, 'EAEU', year, eaeu FROM t
    UNION ALL
    SELECT reporter, 'XT', year, xt FROM t
),
g AS (
    SELECT year, CASE WHEN $group = 'reporters' THEN 'reporters' WHEN $group = 'world' THEN 'world'
                      WHEN year IN (SELECT year FROM t WHERE reporter = 'WLD') THEN 'world' ELSE 'reporters' END
                 AS reference_group
    FROM (SELECT DISTINCT year FROM t WHERE reporter <> 'WLD')
),
tot AS (
    SELECT year, sum(wld) AS x_w FROM t JOIN g USING (year)
    WHERE (reference_group = 'world') = (reporter = 'WLD') GROUP BY ALL
),
toj AS (
    SELECT partner, year, sum(v) AS x_wj FROM b JOIN g USING (year)
    WHERE (reference_group = 'world') = (reporter = 'WLD') GROUP BY ALL
)
SELECT b.reporter, b.partner, b.year, b.v AS x_ij, t.wld AS x_i, toj.x_wj, tot.x_w, g.reference_group,
       CASE WHEN t.wld > 0 AND toj.x_wj > 0 AND tot.x_w > 0 THEN (b.v / t.wld) / (toj.x_wj / tot.x_w) END AS value
FROM b JOIN t USING (reporter, year) JOIN g USING (year) LEFT JOIN tot USING (year) LEFT JOIN toj USING (partner, year)
WHERE b.reporter <> b.partner AND b.reporter <> 'WLD'
  AND ($reporter IS NULL OR b.reporter = $reporter)
  AND ($partner IS NULL OR b.partner = $partner)
ORDER BY b.reporter, b.partner, b.year;
