-- Trade complementarity index (Michaely) between importer i and exporter j, year t:
--   TC(i,j,t) = 100 * ( 1 - sum_p | m(i,p) - x(j,p) | / 2 )
-- m(i,p) = share of p in i's imports from the world, x(j,p) = share of p in j's exports to the world.
-- 100 = j exports exactly what i imports, 0 = nothing in common. Pairs of distinct reporters.
-- Trade rows are indicator 'trade', scheme hs, annual, at HS level $level (digits), summed to $depth digits
-- ($depth NULL = as stored). Partner totals: when a reporter gives partner detail (countries), the world,
-- third countries (XT) and the Union (EAEU) are sums over that detail (members = AM BY KG KZ RU); otherwise
-- the aggregate rows WLD / XT / EAEU are used (and WLD = XT + EAEU, XT = WLD - EAEU when one is missing).
-- Parameters: $level, $depth, $from, $to, $reporter (importer i), $partner (exporter j).
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
),
sh AS (
    SELECT reporter, product, year, flow, wld / sum(wld) OVER (PARTITION BY reporter, year, flow) AS s
    FROM t WHERE wld > 0
),
m AS (SELECT reporter AS importer, product, year, s FROM sh WHERE flow = 'import'
      AND ($reporter IS NULL OR reporter = $reporter)),
x AS (SELECT reporter AS exporter, product, year, s FROM sh WHERE flow = 'export'
      AND ($partner IS NULL OR reporter = $partner)),
pairs AS (
    SELECT DISTINCT m.importer, x.exporter, m.year FROM (SELECT DISTINCT importer, year FROM m) m
    JOIN (SELECT DISTINCT exporter, year FROM x) x ON m.year = x.year AND m.importer <> x.exporter
),
keys AS (
    SELECT p.importer, p.exporter, p.year, m.product FROM pairs p
    JOIN m ON m.importer = p.importer AND m.year = p.year
    UNION
    SELECT p.importer, p.exporter, p.year, x.product FROM pairs p
    JOIN x ON x.exporter = p.exporter AND x.year = p.year
),
diffs AS (
    SELECT k.importer, k.exporter, k.year, k.product, abs(coalesce(m.s, 0) - coalesce(x.s, 0)) AS d
    FROM keys k
    LEFT JOIN m ON m.importer = k.importer AND m.year = k.year AND m.product = k.product
    LEFT JOIN x ON x.exporter = k.exporter AND x.year = k.year AND x.product = k.product
)
SELECT importer AS reporter, exporter AS partner, year, count(*) AS products,
       100 * (1 - sum(d) / 2) AS value
FROM diffs
GROUP BY ALL
ORDER BY reporter, partner, year;
