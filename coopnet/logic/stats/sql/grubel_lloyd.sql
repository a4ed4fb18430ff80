-- Grubel-Lloyd index of intra-industry trade between reporter c and partner j in product p, year t:
--   GL(p) = 1 - |X(p) - M(p)| / (X(p) + M(p))
-- and over all products (the aggregate, unadjusted): GL = sum(X + M - |X - M|) / sum(X + M).
-- 1 = trade in p is all two-way, 0 = one-way. Partner: a country, or WLD / XT / EAEU.
-- Trade rows are indicator 'trade', scheme hs, annual, at HS level $level (digits), summed to $depth digits
-- ($depth NULL = as stored). Partner totals: when a reporter gives partner detail (countries), the world,
-- third countries (XT) and the Union (EAEU) are sums over that detail (members = AM BY KG KZ RU); otherwise
-- the aggregate rows WLD / XT / EAEU are used (and WLD = XT + EAEU, XT = WLD - EAEU when one is missing).
-- Parameters: $level, $depth, $from, $to, $reporter, $partner (required), $product (prefix).
WITH r AS (
    SELECT reporter, partner, flow, year, value,
           CASE WHEN $depth IS NULL THEN product ELSE left(product, $depth) END AS product,
           partner NOT IN ('WLD', 'XT', 'EAEU', '') AS detail,
           split_part(partner, '-', 1) IN ('AM', 'BY', 'KG', 'KZ', 'RU') AS member
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
        END AS wld,
        CASE WHEN count(*) FILTER (WHERE detail) > 0 THEN coalesce(sum(value) FILTER (WHERE detail AND NOT member), 0)
             ELSE coalesce(sum(value) FILTER (WHERE partner = 'XT'),
                           sum(value) FILTER (WHERE partner = 'WLD') - sum(value) FILTER (WHERE partner = 'EAEU'))
        END AS xt,
        CASE WHEN count(*) FILTER (WHERE detail) > 0 THEN coalesce(sum(value) FILTER (WHERE detail AND member), 0)
             ELSE coalesce(sum(value) FILTER (WHERE partner = 'EAEU'),
                           sum(value) FILTER (WHERE partner = 'WLD') - sum(value) FILTER (WHERE partner = 'XT'))
        END AS eaeu,
        sum(value) FILTER (WHERE partner = $partner) AS bilateral
    FROM r GROUP BY reporter, product, year, flow
),
v AS (
    SELECT reporter, product, year, flow,
           coalesce(CASE $partner WHEN 'WLD' THEN wld WHEN 'XT' THEN xt WHEN 'EAEU' THEN eaeu ELSE bilateral END, 0)
               AS v
    FROM t
),
p AS (
    SELECT reporter, product, year,
           coalesce(sum(v) FILTER (WHERE flow = 'export'), 0) AS x,
           coalesce(sum(v) FILTER (WHERE flow = 'import'), 0) AS m
    FROM v GROUP BY ALL
    HAVING sum(v) > 0
)
SELECT reporter, $partner AS partner, product, year, x, m, 1 - abs(x - m) / (x + m) AS value
FROM p
UNION ALL
SELECT reporter, $partner AS partner, 'TOTAL' AS product, year, sum(x), sum(m),
       sum(x + m - abs(x - m)) / sum(x + m) AS value
FROM p GROUP BY reporter, year
ORDER BY reporter, year, product;
