-- Import dependence of state c in product p, year t: imports over apparent consumption,
--   D(c,p,t) = M(c,p,t) / (Q(c,p,t) + M(c,p,t) - X(c,p,t))
-- where Q is production: observations with flow 'production', scheme hs, annual, money in US dollars (as
-- trade is), at HS level $level summed to $depth digits. Only where production is known: a product
-- without a production value has no import dependence (the share of imports from third countries,
-- third_country_share.sql, needs no production). M and X are imports from and exports to the world
-- (partner detail summed when given, else the WLD row; XT + EAEU when only those are given).
-- Parameters: $level, $depth, $from, $to, $reporter, $product (prefix).
WITH r AS (
    SELECT reporter, partner, flow, year, value,
           CASE WHEN $depth IS NULL THEN product ELSE left(product, $depth) END AS product,
           partner NOT IN ('WLD', 'XT', 'EAEU', '') AS detail
    FROM obs
    WHERE indicator = 'trade' AND scheme = 'hs' AND period_kind = 'year' AND length(product) = $level
      AND length(reporter) = 2 AND reporter NOT IN ('XT')
      AND ($from IS NULL OR year >= $from) AND ($to IS NULL OR year <= $to)
      AND flow IN ('export', 'import')
      AND ($reporter IS NULL OR reporter = $reporter)
      AND ($product IS NULL OR starts_with(product, $product))
),
t AS (
    SELECT reporter, product, year, flow,
        CASE WHEN count(*) FILTER (WHERE detail) > 0 THEN sum(value) FILTER (WHERE detail)
             ELSE coalesce(sum(value) FILTER (WHERE partner IN ('WLD', '')),
                           sum(value) FILTER (WHERE partner = 'XT') + sum(value) FILTER (WHERE partner = 'EAEU'))
        END AS wld
    FROM r GROUP BY reporter, product, year, flow
),
q AS (
    SELECT reporter, CASE WHEN $depth IS NULL THEN product ELSE left(product, $depth) END AS product, year,
           sum(value) AS production, list(DISTINCT source ORDER BY source) AS production_sources
    FROM obs
    WHERE flow = 'production' AND scheme = 'hs' AND period_kind = 'year' AND length(product) = $level
      AND unit = 'money' AND currency = 'USD'
      AND ($from IS NULL OR year >= $from) AND ($to IS NULL OR year <= $to)
      AND ($reporter IS NULL OR reporter = $reporter)
      AND ($product IS NULL OR starts_with(product, $product))
    GROUP BY ALL
),
m AS (SELECT reporter, product, year, wld AS m FROM t WHERE flow = 'import'),
x AS (SELECT reporter, product, year, wld AS x FROM t WHERE flow = 'export')
SELECT q.reporter, q.product, q.year, q.production, coalesce(m.m, 0) AS imports, coalesce(x.x, 0) AS exports,
       q.production + coalesce(m.m, 0) - coalesce(x.x, 0) AS apparent_consumption,
       CASE WHEN q.production + coalesce(m.m, 0) - coalesce(x.x, 0) > 0
            THEN coalesce(m.m, 0) / (q.production + coalesce(m.m, 0) - coalesce(x.x, 0)) END AS value,
       q.production_sources
FROM q
LEFT JOIN m USING (reporter, product, year)
LEFT JOIN x USING (reporter, product, year)
ORDER BY q.reporter, q.product, q.year;
