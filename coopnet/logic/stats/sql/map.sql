-- One value per reporter (state or region) for a map: the series $indicator in year $year (default:
-- each reporter's latest year, shown with the value), product $product (exact; NULL = TOTAL), flow and
-- partner as given (NULL = any, summed). Each value keeps its sources.
WITH s AS (
    SELECT * FROM obs
    WHERE indicator = $indicator AND period_kind = 'year'
      AND product = coalesce($product, 'TOTAL')
      AND ($flow IS NULL OR flow = $flow)
      AND ($partner IS NULL OR partner = $partner)
),
latest AS (SELECT reporter, coalesce($year, max(year)) AS y FROM s GROUP BY reporter)
SELECT s.reporter, s.year, sum(s.value) AS value, min(s.unit) AS unit, min(s.currency) AS currency,
       count(*) AS observations,
       list(DISTINCT s.source || CASE WHEN s.locator <> '' THEN ' ' || s.locator ELSE '' END) AS sources
FROM s JOIN latest l ON s.reporter = l.reporter AND s.year = l.y
GROUP BY s.reporter, s.year
ORDER BY value DESC;
