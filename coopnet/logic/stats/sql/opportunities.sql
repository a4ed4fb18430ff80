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
-- Plan: classify each row's partner once (k), one hash aggregation with plain sums per kind of partner (g),
-- the partner rule on those totals (t); whether a product has a supplier at all is decided on the few
-- distinct codes (covered), and organisations are counted and named only for the products shown (top).
WITH k AS (
    SELECT reporter, year, value, left(product, $depth) AS product,
           CASE WHEN partner IN ('WLD', '') THEN 1 WHEN partner = 'XT' THEN 2 WHEN partner = 'EAEU' THEN 3
                WHEN partner IS NULL THEN NULL
                WHEN (left(partner, 2) = 'AM' OR left(partner, 2) = 'BY' OR left(partner, 2) = 'KG'
                      OR left(partner, 2) = 'KZ' OR left(partner, 2) = 'RU')
                     AND (length(partner) = 2 OR substr(partner, 3, 1) = '-') THEN 4
                ELSE 0 END AS kind
    FROM obs
    WHERE indicator = 'trade' AND flow = 'import' AND scheme = 'hs' AND period_kind = 'year'
      AND length(product) = $level AND year = $year
      AND reporter IN ('AM', 'BY', 'KG', 'KZ', 'RU')
      AND ($reporter IS NULL OR reporter = $reporter)
      AND ($product IS NULL OR starts_with(product, $product))
),
r AS (
    SELECT reporter, year, product,
           CASE WHEN kind IN (0, 4) THEN 1 END AS nd, CASE WHEN kind IN (0, 4) THEN value END AS vd,
           CASE WHEN kind = 0 THEN value END AS vdt, CASE WHEN kind = 1 THEN value END AS vw,
           CASE WHEN kind = 2 THEN value END AS vx, CASE WHEN kind = 3 THEN value END AS ve
    FROM k
),
g AS (
    SELECT reporter, product, year, count(nd) AS nd, sum(vd) AS vd, sum(vdt) AS vdt,
           sum(vw) AS vw, sum(vx) AS vx, sum(ve) AS ve
    FROM r GROUP BY reporter, product, year
),
t AS (
    SELECT reporter, product, year,
        CASE WHEN nd > 0 THEN vd ELSE coalesce(vw, vx + ve) END AS wld,
        CASE WHEN nd > 0 THEN coalesce(vdt, 0) ELSE coalesce(vx, vw - ve) END AS xt
    FROM g
),
p AS MATERIALIZED (
    SELECT product, year, sum(xt) AS value_at_stake, sum(wld) AS imports_total,
           list({'reporter': reporter, 'value': xt} ORDER BY xt DESC) FILTER (WHERE xt > 0) AS importers
    FROM t GROUP BY product, year
    HAVING sum(xt) > 0
),
c AS MATERIALIZED (
    SELECT org_id, code FROM capacity WHERE scheme = 'hs' AND country IN ('AM', 'BY', 'KG', 'KZ', 'RU')
),
codes AS (SELECT DISTINCT code FROM c),
covered AS (
    SELECT DISTINCT p.product FROM p JOIN codes ON length(codes.code) >= $depth AND left(codes.code, $depth) = p.product
    UNION
    SELECT p.product FROM p JOIN codes ON length(codes.code) = 2 AND $depth > 2 AND codes.code = left(p.product, 2)
    UNION
    SELECT p.product FROM p JOIN codes ON length(codes.code) = 4 AND $depth > 4 AND codes.code = left(p.product, 4)
    UNION
    SELECT p.product FROM p JOIN codes ON length(codes.code) = 6 AND $depth > 6 AND codes.code = left(p.product, 6)
    UNION
    SELECT p.product FROM p JOIN codes ON length(codes.code) = 8 AND $depth > 8 AND codes.code = left(p.product, 8)
),
top AS MATERIALIZED (
    SELECT p.*, covered.product IS NOT NULL AS has_supplier
    FROM p LEFT JOIN covered USING (product)
    WHERE $gaps OR covered.product IS NOT NULL
    ORDER BY p.value_at_stake DESC, p.product
    LIMIT $limit
),
sup AS (
    SELECT top.product, c.org_id FROM top JOIN c ON length(c.code) >= $depth AND left(c.code, $depth) = top.product
    UNION ALL
    SELECT top.product, c.org_id FROM top JOIN c ON length(c.code) = 2 AND $depth > 2 AND c.code = left(top.product, 2)
    UNION ALL
    SELECT top.product, c.org_id FROM top JOIN c ON length(c.code) = 4 AND $depth > 4 AND c.code = left(top.product, 4)
    UNION ALL
    SELECT top.product, c.org_id FROM top JOIN c ON length(c.code) = 6 AND $depth > 6 AND c.code = left(top.product, 6)
    UNION ALL
    SELECT top.product, c.org_id FROM top JOIN c ON length(c.code) = 8 AND $depth > 8 AND c.code = left(top.product, 8)
),
n AS (SELECT product, count(DISTINCT org_id) AS suppliers FROM sup GROUP BY product),
orgs AS (SELECT org_id, min(name) AS name, min(country) AS country FROM capacity GROUP BY org_id),
named AS (
    SELECT DISTINCT sup.product, orgs.org_id, orgs.name, orgs.country
    FROM sup JOIN orgs USING (org_id)
),
s AS (
    SELECT product, list(DISTINCT country ORDER BY country) AS supplier_countries,
           (list(DISTINCT name ORDER BY name))[1:5] AS supplier_sample
    FROM named GROUP BY product
)
SELECT top.product, top.year, top.value_at_stake, top.imports_total,
       CASE WHEN top.imports_total > 0 THEN top.value_at_stake / top.imports_total END AS dependence,
       top.importers, coalesce(n.suppliers, 0) AS suppliers,
       coalesce(s.supplier_countries, []) AS supplier_countries,
       coalesce(s.supplier_sample, []) AS supplier_sample
FROM top LEFT JOIN n USING (product) LEFT JOIN s USING (product)
ORDER BY top.value_at_stake DESC, top.product;
