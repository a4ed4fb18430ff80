-- Import-substitution opportunities: per product (at $depth HS digits), the member states' imports from
-- third countries in year $year (latest_year.sql gives the default), set against the organisations
-- whose registered competencies (table capacity: org_id, public_id, name, country, region, scheme, code,
-- capacity_quantity, capacity_unit, capacity_period) in the member states cover the product at the
-- matching depth: a code of the same depth or finer that starts with the product, or a coarser code the
-- product starts with. Suppliers outside the Union do not substitute imports from third countries.
--   value at stake(p) = sum over member states c of M(c, XT, p, year)
-- Ranked by value at stake. Products without a registered supplier are gaps (shown when $gaps is true).
-- Trade rows are indicator 'trade', scheme hs, annual, at HS level $level (digits), summed to $depth digits
-- ($depth NULL = as stored). Partner totals: when a reporter gives partner detail (countries), the world,
-- third countries (XT) and the Union (EAEU) are sums over that detail (members = AM BY KG KZ RU); otherwise
-- the aggregate rows WLD / XT / EAEU are used (and WLD = XT + EAEU, XT = WLD - EAEU when one is missing).
-- Parameters: $level, $depth, $year (required), $reporter, $product (prefix), $gaps, $limit.
WITH r AS (
    SELECT reporter, partner, flow, year, value, left(product, $depth) AS product,
           partner NOT IN ('WLD', 'XT', 'EAEU', '') AS detail,
           split_part(partner, '-', 1) IN ('AM', 'BY', 'KG', 'KZ', 'RU') AS member
    FROM obs
    WHERE indicator = 'trade' AND flow = 'import' AND scheme = 'hs' AND period_kind = 'year'
      AND length(product) = $level AND year = $year
      AND reporter IN ('AM', 'BY', 'KG', 'KZ', 'RU')
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
),
p AS MATERIALIZED (
    SELECT product, year, sum(xt) AS value_at_stake, sum(wld) AS imports_total,
           list({'reporter': reporter, 'value': xt} ORDER BY xt DESC) FILTER (WHERE xt > 0) AS importers
    FROM t GROUP BY product, year
    HAVING sum(xt) > 0
),
c AS (SELECT org_id, code FROM capacity WHERE scheme = 'hs' AND country IN ('AM', 'BY', 'KG', 'KZ', 'RU')),
sup AS (
    SELECT p.product, c.org_id FROM p JOIN c ON length(c.code) >= $depth AND left(c.code, $depth) = p.product
    UNION ALL
    SELECT p.product, c.org_id FROM p JOIN c ON length(c.code) = 2 AND $depth > 2 AND c.code = left(p.product, 2)
    UNION ALL
    SELECT p.product, c.org_id FROM p JOIN c ON length(c.code) = 4 AND $depth > 4 AND c.code = left(p.product, 4)
    UNION ALL
    SELECT p.product, c.org_id FROM p JOIN c ON length(c.code) = 6 AND $depth > 6 AND c.code = left(p.product, 6)
    UNION ALL
    SELECT p.product, c.org_id FROM p JOIN c ON length(c.code) = 8 AND $depth > 8 AND c.code = left(p.product, 8)
),
n AS (SELECT product, count(*) AS suppliers FROM (SELECT DISTINCT product, org_id FROM sup) GROUP BY product),
top AS (
    SELECT p.*, coalesce(n.suppliers, 0) AS suppliers
    FROM p LEFT JOIN n USING (product)
    WHERE $gaps OR n.suppliers > 0
    ORDER BY p.value_at_stake DESC, p.product
    LIMIT $limit
),
orgs AS (SELECT org_id, min(name) AS name, min(country) AS country FROM capacity GROUP BY org_id),
named AS (
    SELECT DISTINCT sup.product, orgs.org_id, orgs.name, orgs.country
    FROM sup JOIN top USING (product) JOIN orgs USING (org_id)
),
s AS (
    SELECT product, list(DISTINCT country ORDER BY country) AS supplier_countries,
           (list(DISTINCT name ORDER BY name))[1:5] AS supplier_sample
    FROM named GROUP BY product
)
SELECT top.product, top.year, top.value_at_stake, top.imports_total,
       CASE WHEN top.imports_total > 0 THEN top.value_at_stake / top.imports_total END AS dependence,
       top.importers, top.suppliers,
       coalesce(s.supplier_countries, []) AS supplier_countries,
       coalesce(s.supplier_sample, []) AS supplier_sample
FROM top LEFT JOIN s USING (product)
ORDER BY top.value_at_stake DESC, top.product;
