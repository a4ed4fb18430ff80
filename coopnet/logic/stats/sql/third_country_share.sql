-- Share of imports from third countries of state c in product p, year t:
--   S(c,p,t) = M(c, XT, p, t) / M(c, WLD, p, t)
-- the share of c's imports of p that come from outside the Union (not import dependence: that is imports
-- over apparent consumption, import_dependence.sql).
-- Trade rows are indicator 'trade', scheme hs, annual, at HS level $level (digits), summed to $depth digits
-- ($depth NULL = as stored). Partner totals: when a reporter gives partner detail (countries), the world,
-- third countries (XT) and the Union (EAEU) are sums over that detail (members = AM BY KG KZ RU); otherwise
-- the aggregate rows WLD / XT / EAEU are used (and WLD = XT + EAEU, XT = WLD - EAEU when one is missing).
-- Parameters: $level, $depth, $from, $to, $reporter, $product (prefix).
WITH r AS (
    SELECT reporter, partner, flow, year, value,
           CASE WHEN $depth IS NULL THEN product ELSE left(product, $depth) END AS product,
           partner NOT IN ('WLD', 'XT', 'EAEU', '') AS detail,
           split_part(partner, '-', 1) IN ('AM', 'BY', 'KG', 'KZ', 'RU') AS member
    FROM obs
    WHERE indicator = 'trade' AND scheme = 'hs' AND period_kind = 'year' AND length(product) = $level
      AND length(reporter) = 2 AND reporter NOT IN ('XT')
      AND ($from IS NULL OR year >= $from) AND ($to IS NULL OR year <= $to)
      AND flow = 'import'
      AND ($reporter IS NULL OR reporter = $reporter)
      AND ($product IS NULL OR starts_with(product, $product))
),
t AS (
    SELECT reporter, product, year,
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
    FROM r GROUP BY reporter, product, year
)
SELECT reporter, product, year, xt AS m_xt, wld AS m_wld,
       CASE WHEN wld > 0 THEN xt / wld END AS value
FROM t
ORDER BY reporter, product, year;
