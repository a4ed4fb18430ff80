-- Growth and average annual growth (CAGR) of a series between two years.
--   growth = V(t1) / V(t0) - 1        cagr = (V(t1) / V(t0)) ^ (1 / (t1 - t0)) - 1
-- Annual observations only. $from / $to default to the first / last year of each series.
-- Parameters: $series (indicator name), $reporter, $partner, $product (exact), $flow, $from, $to.
WITH s AS (
    SELECT reporter, partner, scheme, product, flow, year, value, unit, currency, source, locator
    FROM obs
    WHERE indicator = $series AND period_kind = 'year'
      AND ($reporter IS NULL OR reporter = $reporter)
      AND ($partner IS NULL OR partner = $partner)
      AND ($product IS NULL OR product = $product)
      AND ($flow IS NULL OR flow = $flow)
      AND ($from IS NULL OR year >= $from)
      AND ($to IS NULL OR year <= $to)
),
ends AS (
    SELECT reporter, partner, scheme, product, flow, unit, currency,
           min(year) AS year_from, max(year) AS year_to,
           arg_min(value, year) AS value_from, arg_max(value, year) AS value_to,
           arg_min(source || ' ' || locator, year) AS source_from,
           arg_max(source || ' ' || locator, year) AS source_to
    FROM s GROUP BY ALL
    HAVING min(year) < max(year)
)
SELECT reporter, partner, scheme, product, flow, unit, currency, year_from, year_to, value_from, value_to,
       CASE WHEN value_from <> 0 THEN value_to / value_from - 1 END AS growth,
       CASE WHEN value_from > 0 AND value_to > 0
            THEN pow(value_to / value_from, 1.0 / (year_to - year_from)) - 1 END AS cagr,
       source_from, source_to
FROM ends
ORDER BY reporter, partner, product, flow;
