-- One value per reporter (state or region) for a map: the series $indicator in year $year (default:
-- the latest year it has), product $product (exact; NULL = TOTAL), flow and partner as given (NULL =
-- any, summed). Each value keeps its sources.
WITH s AS (
    SELECT * FROM obs
    WHERE indicator = $indicator AND period_kind = 'year'
      AND product = coalesce($product, 'TOTAL')
      AND ($flow IS NULL OR flow = $flow)
      AND ($partner IS NULL OR partner = $partner)
),
yr AS (SELECT coalesce($year, max(year)) AS y FROM s)
SELECT reporter, year, sum(value) AS value, min(unit) AS unit, min(currency) AS currency,
       count(*) AS observations, list(DISTINCT source || CASE WHEN locator <> '' THEN ' ' || locator ELSE '' END) AS sources
FROM s WHERE year = (SELECT y FROM yr)
GROUP BY reporter, year
ORDER BY value DESC;
