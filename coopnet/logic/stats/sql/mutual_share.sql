-- Share of mutual (intra-Union) trade in a state's trade, year t:
--   S(c,t) = ( X(c, EAEU, t) + M(c, EAEU, t) ) / ( X(c, WLD, t) + M(c, WLD, t) )
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
        END AS eaeu
    FROM r GROUP BY reporter, product, year, flow
)
SELECT reporter, 'EAEU' AS partner, year, sum(eaeu) AS mutual, sum(wld) AS total,
       sum(eaeu) FILTER (WHERE flow = 'export') AS x_eaeu, sum(eaeu) FILTER (WHERE flow = 'import') AS m_eaeu,
       CASE WHEN sum(wld) > 0 THEN sum(eaeu) / sum(wld) END AS value
FROM t GROUP BY reporter, year
ORDER BY reporter, year;
